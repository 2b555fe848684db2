"""Survey versus behaviour (the say–do gap)."""
from cxlab.survey_vs_behaviour.link import *  # noqa: F401,F403
from cxlab.survey_vs_behaviour.agreement import *  # noqa: F401,F403
from cxlab.survey_vs_behaviour.representativeness import *  # noqa: F401,F403
from cxlab.survey_vs_behaviour.predict import *  # noqa: F401,F403
from cxlab.survey_vs_behaviour.offers import *  # noqa: F401,F403
from cxlab.survey_vs_behaviour.explore import *  # noqa: F401,F403
