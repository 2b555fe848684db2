from cxlab.report import main

raise SystemExit(main())
