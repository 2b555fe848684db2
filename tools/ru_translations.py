"""Russian translations, merged into cxlab/findings/locale/ru.po by tools/update_catalog.py --fill.

msgid -> translation; a plural message maps to a tuple of the three Russian forms (1, 2–4, 5–20);
a vocabulary value (context "value") is keyed ("value", msgid).
"""
NB = "\u00a0"
RU = {
 "effective n": "эффективный n", "estimate": "оценка", "SE": "ст. ошибка", "CI low": "ДИ от", "CI high": "ДИ до",
 "p (adjusted)": "p (скорр.)", "statistic": "статистика", "effect size": "размер эффекта", "low base": "малая база",
 "% promoters": "% промоутеров", "% passives": "% нейтралов", "% detractors": "% критиков", "df": "ст. св.",
 "p not computed": "p не рассчитано", "{value}%": "{value}" + NB + "%", "yes": "да",
 "no evidence of a difference at this sample size":
     "нет оснований считать, что они различаются при таком объёме выборки",
 "Finding": "Вывод", "not available": "нет данных", "{value} %": "{value}" + NB + "%",
 "{level} CI {low} to {high}": "{level}-й ДИ от {low} до {high}", "{items} and {last}": "{items} и {last}",
 "Too few answers with a score to show how the cut-offs move the NPS.":
     "Слишком мало ответов с оценкой, чтобы показать, как границы групп меняют NPS.",
 "With the standard cut-offs the NPS is **{standard}**. Reading *{variant}* gives {estimate}, a shift of {shift} points. State the cut-offs whenever you report an NPS.":
     "При стандартных границах NPS равен **{standard}**. Вариант *{variant}* даёт {estimate}, сдвиг на {shift} п. Всегда указывайте границы групп, когда сообщаете NPS.",
 ("Only {n} answer has a score, fewer than the minimum base of {min_base}: no NPS is reported.",):
     ("Оценку содержит только {n} ответ — меньше минимальной базы {min_base}: NPS не приводится.",
      "Оценку содержат только {n} ответа — меньше минимальной базы {min_base}: NPS не приводится.",
      "Оценку содержат только {n} ответов — меньше минимальной базы {min_base}: NPS не приводится."),
 "**NPS is {estimate}** ({ci}; {promoters} % promoters, {detractors} % detractors, n = {n}).":
     "**NPS равен {estimate}** ({ci}; промоутеров {promoters}" + NB + "%, критиков {detractors}" + NB + "%, n = {n}).",
 " Weighted it is {weighted} against {unweighted} unweighted; the weights reduce the effective sample from {n} to {n_effective}.":
     " С весами он равен {weighted}, без весов — {unweighted}; веса уменьшают эффективный объём выборки с {n} до {n_effective}.",
 " The three interval methods agree to within {spread} points at this sample size; they differ more for small groups.":
     " Три метода построения интервала расходятся не более чем на {spread} п. при таком объёме выборки; для малых групп расхождение больше.",
 "NPS is {estimate}": "NPS равен {estimate}",
 "share of promoters (9–10) minus share of detractors (0–6)": "доля промоутеров (9–10) минус доля критиков (0–6)",
 ("{k} {groups} with fewer than {min_base} answers is not shown and not tested.",):
     ("{k} {groups} с числом ответов меньше {min_base}: значение не показано, тест не проводился.",
      "{k} {groups} с числом ответов меньше {min_base}: значения не показаны, тесты не проводились.",
      "{k} {groups} с числом ответов меньше {min_base}: значения не показаны, тесты не проводились."),
 ("{n} answer without a {grouping} is left out of the comparison.",):
     ("{n} ответ без значения «{grouping}» не вошёл в сравнение.",
      "{n} ответа без значения «{grouping}» не вошли в сравнение.",
      "{n} ответов без значения «{grouping}» не вошли в сравнение."),
 "No {group} has at least {min_base} answers, so NPS by {grouping} is not shown and no test is run.":
     "Ни в одной группе по признаку «{grouping}» нет {min_base} ответов, поэтому NPS в этом разрезе не показан и тесты не проводились.",
 "Only one {group} ({name}) has at least {min_base} answers, so there is nothing to compare it with.":
     "Не менее {min_base} ответов только в одной группе ({name}), поэтому сравнивать её не с чем.",
 "chi-square = {statistic} on {dof} df, {p}": "хи-квадрат = {statistic} при {dof} ст. св., {p}",
 "Across the {k} {groups} shown there is **{no_evidence}** ({chi}).": "Для {k} {groups} **{no_evidence}** ({chi}).",
 " Their NPS are within a point of each other ({estimate}).": " Их NPS отличаются менее чем на пункт ({estimate}).",
 " Their NPS range from {low} ({low_group}) to {high} ({high_group}), within what chance alone produces with about {n} answers per {group}.":
     " Их NPS лежат в диапазоне от {low} ({low_group}) до {high} ({high_group}) — в пределах того, что даёт одна случайность при примерно {n} ответах на {group}.",
 (" Telling two of them apart by a {gap}-point gap with {power} power, in tests corrected for the {pairs} pairs, would need about {n} answer per {group}.",):
     (" Чтобы различить два из них при разрыве в {gap} п. с мощностью {power} и поправкой на число пар ({pairs}), нужен примерно {n} ответ на {group}.",
      " Чтобы различить два из них при разрыве в {gap} п. с мощностью {power} и поправкой на число пар ({pairs}), нужно примерно {n} ответа на {group}.",
      " Чтобы различить два из них при разрыве в {gap} п. с мощностью {power} и поправкой на число пар ({pairs}), нужно примерно {n} ответов на {group}."),
 "No evidence that {groups} differ in NPS": "Нет оснований считать, что {groups} различаются по NPS",
 "chi-square test of the detractor/passive/promoter mix; pairwise z-tests, {adjust}-adjusted":
     "критерий хи-квадрат для структуры критиков/нейтралов/промоутеров; попарные z-тесты с поправкой {adjust}",
 "**{group}** has the lowest NPS, {estimate} ({ci}, n = {n})": "Самый низкий NPS — **{group}**: {estimate} ({ci}, n = {n})",
 "The mix of detractors, passives and promoters differs between {groups} ({chi}, Cramér's V = {v}).":
     "Структура критиков, нейтралов и промоутеров различается между {groups} ({chi}, V Крамера = {v}).",
 "The chi-square test of the whole detractor/passive/promoter mix finds no overall difference between {groups} ({chi}), but the pairwise NPS tests do find some.":
     "Критерий хи-квадрат для всей структуры критиков/нейтралов/промоутеров не находит общего различия между {groups} ({chi}), но попарные тесты NPS находят отдельные различия.",
 "chi-square test; pairwise z-tests, {adjust}-adjusted": "критерий хи-квадрат; попарные z-тесты с поправкой {adjust}",
 "{higher} above {lower} ({points} points, adjusted {p})": "{higher} выше, чем {lower} (на {points} п., скорректированное {p})",
 " After {adjust} correction: ": " После поправки {adjust}: ",
 " No single pair differs after {adjust} correction.": " После поправки {adjust} ни одна пара значимо не различается.",
 " {desc}, but it is not significantly below any other {group}.":
     " {desc}, однако значимо ниже ни одного другого {group} этот показатель не оказывается.",
 "The {groups} differ in NPS, none clearly lowest": "По NPS {groups} различаются, но явно худшего нет",
 "{lead} {desc}, significantly below {k} of the other {others} {groups} after {adjust} correction; the highest is {highest} at {high}.":
     "{lead} {desc} — значимо ниже, чем {k} из {others} остальных {groups}, после поправки {adjust}; самый высокий NPS — {highest}: {high}.",
 "{group} has the lowest NPS of the {groups}": "{group}: самый низкий NPS среди {groups}",
 "Every {group} × {stratum} cell has fewer than {min_base} answers, so the NPS within each {stratum_one} is not shown and {groups} cannot be compared within {strata} at this sample size.":
     "Во всех ячейках «{group} × {stratum}» меньше {min_base} ответов, поэтому NPS в разрезе «{stratum}» не показан, и сравнить {groups} внутри этих групп при таком объёме выборки нельзя.",
 ("{k} {group} × {stratum} cell has at least {min_base} answers. With no {group_one} established as behind overall, the table is descriptive: it shows where the {group} NPS stand within each {stratum_one}.",):
     ("{k} ячейка «{group} × {stratum}» содержит не меньше {min_base} ответов. Поскольку отставание в целом не установлено ни для одной группы, таблица только описательная: она показывает NPS по «{group}» внутри каждой группы «{stratum}».",
      "{k} ячейки «{group} × {stratum}» содержат не меньше {min_base} ответов. Поскольку отставание в целом не установлено ни для одной группы, таблица только описательная: она показывает NPS по «{group}» внутри каждой группы «{stratum}».",
      "{k} ячеек «{group} × {stratum}» содержат не меньше {min_base} ответов. Поскольку отставание в целом не установлено ни для одной группы, таблица только описательная: она показывает NPS по «{group}» внутри каждой группы «{stratum}»."),
 "Within {strata}, {target} cannot be compared with the other {groups}: too few answers in its cells (minimum base {min_base}).":
     "В разрезе {strata} сравнить {target} с другими {groups} нельзя: в соответствующих ячейках слишком мало ответов (минимальная база {min_base}).",
 "Within each {stratum} where it can be compared ({k} of {total}), {target} is {low} to {high} points from the other {groups}' average, so its gap is not only a matter of which customers use it (descriptive: these cells are small).":
     "Везде, где сравнение возможно ({k} из {total}), {target} отличается от среднего остальных {groups} на величину от {low} до {high} п., так что отставание не сводится к составу клиентов (описательно: ячейки небольшие).",
 "Within {strata}, {target} ranges from {low} to {high} points against the other {groups}' average: it is not behind in every {stratum}, so part of its overall gap may come from which customers use it.":
     "В разрезе {strata} разница между {target} и средним остальных {groups} — от {low} до {high} п.: отставание есть не везде, поэтому часть общего разрыва может объясняться составом клиентов.",
 "No answer has a date, so there is no trend by {period}.": "Ни у одного ответа нет даты, поэтому динамики по {period} нет.",
 "All answers fall in one {period} ({label}), so there is no trend to show: a trend needs answers from at least two {periods}.":
     "Все ответы относятся к одному периоду ({label}), поэтому динамики нет: для неё нужны ответы хотя бы за два периода.",
 ("The latest {period} ({label}) has {n} answer, fewer than the minimum base: its NPS is not shown.",):
     ("В последнем периоде ({label}) {n} ответ — меньше минимальной базы: NPS не показан.",
      "В последнем периоде ({label}) {n} ответа — меньше минимальной базы: NPS не показан.",
      "В последнем периоде ({label}) {n} ответов — меньше минимальной базы: NPS не показан."),
 "**Latest {period} ({label}): NPS is {estimate}** ({ci}); the {period} before has too few answers to compare.":
     "**Последний период ({label}): NPS {estimate}** ({ci}); в предыдущем периоде слишком мало ответов для сравнения.",
 "significant": "значимо", "not significant": "незначимо",
 "**Latest {period} ({label}): NPS is {estimate}** ({ci}), {change} points above {previous}, {p} ({verdict} after Holm adjustment).":
     "**Последний период ({label}): NPS {estimate}** ({ci}), на {change} п. выше, чем в {previous}, {p} ({verdict} после поправки Холма).",
 "**Latest {period} ({label}): NPS is {estimate}** ({ci}), {change} points below {previous}, {p} ({verdict} after Holm adjustment).":
     "**Последний период ({label}): NPS {estimate}** ({ci}), на {change} п. ниже, чем в {previous}, {p} ({verdict} после поправки Холма).",
 " **{label}** shows a significant fall: {estimate}, {change} points below the {period} before (adjusted {p}).":
     " В **{label}** — значимое снижение: {estimate}, на {change} п. ниже предыдущего периода (скорректированное {p}).",
 " No two consecutive {periods} have enough answers to be compared.": " Ни в одной паре соседних периодов недостаточно ответов для сравнения.",
 " No {period}-on-{period} fall is significant after Holm adjustment.": " Ни одно снижение относительно предыдущего периода не значимо после поправки Холма.",
 "No significant fall in NPS between {periods}": "Нет значимого снижения NPS между {periods}",
 "NPS fell significantly in {label}": "NPS значимо снизился в {label}",
 "two-sample z-tests of each change, Holm-adjusted": "двухвыборочные z-тесты для каждого изменения с поправкой Холма",
 "the rating that fell most is **{attribute}** ({change} on the {scale} scale, adjusted {p})":
     "сильнее всего снизилась оценка **{attribute}** ({change} по шкале {scale}, скорректированное {p})",
 "no attribute rating differs significantly from the other periods (largest fall: {attribute}, {change}, adjusted {p})":
     "ни одна оценка атрибутов значимо не отличается от других периодов (наибольшее снижение: {attribute}, {change}, скорректированное {p})",
 "among that period's detractors the comment theme that grew most is **{theme}** ({inside} % of detractors against {outside} % in other periods, adjusted {p})":
     "среди критиков этого периода сильнее всего выросла тема комментариев **{theme}** ({inside}" + NB + "% критиков против {outside}" + NB + "% в другие периоды, скорректированное {p})",
 "no comment theme grew significantly among detractors": "ни одна тема комментариев значимо не выросла среди критиков",
 "No attribute ratings or comments to examine what changed in {period}.": "Нет оценок атрибутов или комментариев, чтобы понять, что изменилось в {period}.",
 "In {period} ": "В {period} ",
 " That is the first place to look for the cause.": " С этого и стоит начать поиск причины.",
 "With about {n} responses per {period}, a single {period}'s NPS is known to ±{margin} points.":
     "При примерно {n} ответах за {period} NPS одного периода известен с точностью ±{margin} п.",
 " Detecting a {change}-point change needs about {n} responses in each of the two periods compared.":
     " Чтобы обнаружить изменение на {change} п., нужно примерно {n} ответов в каждом из двух сравниваемых периодов.",
 "The {k} attribute ratings explain {share} of the variance in the likelihood to recommend (n = {n}; {dropped} responses with gaps left out). The order of importance is {order}; ":
     "Оценки атрибутов ({k}) объясняют {share} дисперсии готовности рекомендовать (n = {n}; ответы с пропусками не учитывались: {dropped}). Порядок по важности: {order}; ",
 "the ordered logit ranks them the same way.": "порядковая логит-модель ранжирует их так же.",
 "the ordered logit ranks them slightly differently.": "порядковая логит-модель ранжирует их немного иначе.",
 " The strongest driver is **{driver}** ({importance} % of the explained variance, {p}).":
     " Сильнейший драйвер — **{driver}** ({importance}" + NB + "% объяснённой дисперсии, {p}).",
 " No attribute is a significant driver at this sample size ({driver}: {p}).":
     " При таком объёме выборки ни один атрибут не является значимым драйвером ({driver}: {p}).",
 " Important but rated below average: {drivers}.": " Важны, но оценены ниже среднего: {drivers}.",
 "{driver} moves the score most": "{driver} сильнее всего влияет на оценку",
 "No attribute stands out as a driver": "Ни один атрибут не выделяется как драйвер",
 "Johnson's relative weights; standardised regression; ordered logit":
     "относительные веса Джонсона; стандартизованная регрессия; порядковая логит-модель",
 "No respondent left a comment.": "Ни один респондент не оставил комментарий.",
 "{share} of respondents left a comment ({share_ru} in Russian).": "Комментарий оставили {share} респондентов ({share_ru} — на русском).",
 " Detractors mention significantly more often: ": " Критики значимо чаще упоминают: ",
 "{theme} ({detractors} % of detractors vs {promoters} % of promoters)":
     "{theme} ({detractors}" + NB + "% критиков против {promoters}" + NB + "% промоутеров)",
 " Promoters: ": " Промоутеры: ",
 "{theme} ({promoters} % vs {detractors} %)": "{theme} ({promoters}" + NB + "% против {detractors}" + NB + "%)",
 " None of the comments mentions a theme of the lexicon (see and extend it with cxlab.text.load_lexicon).":
     " Ни один комментарий не упоминает тем из словаря (посмотреть и дополнить его: cxlab.text.load_lexicon).",
 " No theme is mentioned significantly more by detractors than by promoters, or the other way round, at this sample size.":
     " При таком объёме выборки ни одна тема не упоминается критиками значимо чаще, чем промоутерами, или наоборот.",
 ("The employee survey has {n} answer with a score, fewer than the minimum base of {min_base}: no eNPS is reported.",):
     ("В опросе сотрудников {n} ответ с оценкой — меньше минимальной базы {min_base}: eNPS не приводится.",
      "В опросе сотрудников {n} ответа с оценкой — меньше минимальной базы {min_base}: eNPS не приводится.",
      "В опросе сотрудников {n} ответов с оценкой — меньше минимальной базы {min_base}: eNPS не приводится."),
 "**eNPS is {estimate}** ({ci}, n = {n}).": "**eNPS равен {estimate}** ({ci}, n = {n}).",
 " By {grouping} (descriptive): from {low} ({low_group}) to {high} ({high_group}).":
     " В разрезе «{grouping}» (описательно): от {low} ({low_group}) до {high} ({high_group}).",
 " Not shown (fewer than {min_base} answers): ": " Не показаны (меньше {min_base} ответов): ",
 " Detractor comments are about {themes}.": " Комментарии критиков касаются тем: {themes}.",
 ("Only {n} answer to {label}, fewer than the minimum base of {min_base}: not reported.",):
     ("На вопрос {label} только {n} ответ — меньше минимальной базы {min_base}: не приводится.",
      "На вопрос {label} только {n} ответа — меньше минимальной базы {min_base}: не приводится.",
      "На вопрос {label} только {n} ответов — меньше минимальной базы {min_base}: не приводится."),
 "**Mean {label} is {mean}** on its {lo}–{hi} scale ({ci}); **{top} % answer {hi_1} or {hi}** ({top_ci}), n = {n}.":
     "**Средний {label} — {mean}** по шкале {lo}–{hi} ({ci}); **{top}" + NB + "% ставят {hi_1} или {hi}** ({top_ci}), n = {n}.",
 " %": NB + "%",
 "Mean {label} is {mean} of {hi}": "Средний {label} — {mean} из {hi}",
 "t interval of the mean; Wilson interval of the top-2-box share": "t-интервал среднего; интервал Уилсона для доли top-2-box",
 "Fewer than two {groups} have at least {min_base} answers: {label} by {grouping} is not compared.":
     "Меньше двух групп по признаку «{grouping}» набирают {min_base} ответов: {label} в этом разрезе не сравнивается.",
 "Kruskal–Wallis {p}; top-2-box chi-square {p_chi}": "Краскел — Уоллис: {p}; хи-квадрат для top-2-box: {p_chi}",
 "Kruskal–Wallis test; chi-square test of top-2-box": "критерий Краскела — Уоллиса; хи-квадрат для top-2-box",
 "Across the {k} {groups} shown there is **{no_evidence}** in {label} ({tests}); means range from {low} ({low_group}) to {high} ({high_group}).":
     "По {label} для {k} {groups} **{no_evidence}** ({tests}); средние — от {low} ({low_group}) до {high} ({high_group}).",
 "No evidence that {groups} differ in {label}": "Нет оснований считать, что {groups} различаются по {label}",
 "{label} differs between {groups} ({tests}). Lowest: **{low_group}** (mean {low}, {low_top} % top-2-box, n = {n}); highest: {high_group} (mean {high}, {high_top} %).":
     "{label} различается между {groups} ({tests}). Ниже всего: **{low_group}** (среднее {low}, top-2-box {low_top}" + NB + "%, n = {n}); выше всего: {high_group} (среднее {high}, {high_top}" + NB + "%).",
 "{group} has the lowest {label} of the {groups}": "{group}: самый низкий {label} среди {groups}",
 "**Find what changed in {period}.** NPS fell {change} points (adjusted {p})":
     "**Выясните, что изменилось в {period}.** NPS снизился на {change} п. (скорректированное {p})",
 "{attribute} ratings fell": "снизились оценки «{attribute}»",
 "detractors' comments about {theme} grew": "у критиков стало больше комментариев на тему «{theme}»",
 " and ": " и ",
 ". Check operations for that period and track these monthly.": ". Проверьте, что происходило в работе в этот период, и отслеживайте эти показатели ежемесячно.",
 "; no single rating or comment theme explains it at this sample size. Check operations for that period.":
     "; при таком объёме выборки ни одна оценка или тема комментариев этого не объясняет. Проверьте, что происходило в работе в этот период.",
 "**Look into the {group} experience.** At {estimate} it is significantly below {k} other {groups}":
     "**Разберитесь с опытом клиентов: {group}.** При NPS {estimate} это значимо ниже, чем у {k} других {groups}",
 " (whether it stays behind within {strata} needs more answers per cell)": " (сохраняется ли отставание в разрезе {strata}, покажет только больший объём ответов в ячейках)",
 " and stays behind within every one of the {strata} that can be compared": ", и отставание сохраняется во всех группах разреза {strata}, где сравнение возможно",
 ", though not within every one of the {strata}, so part of the gap may be mix": ", но не во всех группах разреза {strata}, так что часть разрыва может объясняться составом клиентов",
 " Its detractors mention most often {themes}.": " Его критики чаще всего упоминают: {themes}.",
 "**Check the {groups}' detractor and promoter shares before acting:** their mix differs, but no {group} is significantly behind another in NPS after Holm correction.":
     "**Прежде чем действовать, проверьте доли критиков и промоутеров в разрезе {groups}:** структура различается, но после поправки Холма ни одна группа значимо не отстаёт от другой по NPS.",
 "**Do not act on differences between {groups} yet:** {no_evidence} ({k} {groups_k} compared)":
     "**Пока не действуйте по различиям между {groups}:** {no_evidence} (в сравнении: {k} {groups_k})",
 "; about {n} answers per {group} would be needed to detect the {gap}-point gap seen":
     "; чтобы обнаружить наблюдаемый разрыв в {gap} п., нужно примерно {n} ответов на {group}",
 " It also has the lowest {scores} (the differences are significant).": " У него же самый низкий {scores} (различия значимы).",
 "**Look into {group}:** it has the lowest {scores} of the {groups}, and the difference between them is significant (Kruskal–Wallis).":
     "**Разберитесь: {group}.** Здесь самый низкий {scores} среди {groups}, и различие значимо (Краскел — Уоллис).",
 "**Invest where it moves the score:** {driver} carries {importance} % of the explained variance":
     "**Вкладывайтесь туда, где это меняет оценку:** на «{driver}» приходится {importance}" + NB + "% объяснённой дисперсии",
 ("; {drivers} is important but rated below average",):
     ("; {drivers}: важно, но оценено ниже среднего", "; {drivers}: важны, но оценены ниже среднего",
      "; {drivers}: важны, но оценены ниже среднего"),
 "**Keep what promoters praise:** ": "**Сохраните то, что хвалят промоутеры:** ",
 "**Report every score with its interval and base**, and never below {min_base} responses":
     "**Приводите каждую оценку с интервалом и базой** и никогда — при базе меньше {min_base} ответов",
 "**Size the next waves for the question asked:** about {n} responses per wave to see a 5-point change; report every NPS with its interval and base, and never below {min_base} responses":
     "**Планируйте объём следующих волн под задачу:** примерно {n} ответов на волну, чтобы увидеть изменение на 5 п.; приводите каждый NPS с интервалом и базой и никогда — при базе меньше {min_base} ответов",
 "**Demo data: «{company}»**, a made-up company generated by cxlab to show the methods — not a client's data.":
     "**Демо-данные: «{company}»** — вымышленная компания, созданная cxlab для демонстрации методов, а не данные клиента.",
 "**Client: {client}**": "**Клиент: {client}**", "period {period}": "период {period}", "data: {where}": "данные: {where}",
 "<b>This report is incomplete.</b> The analysis stopped: {error}": "<b>Отчёт неполный.</b> Анализ остановился: {error}",
 "Generated by cxlab {version} on {stamp}. Customer identifiers are pseudonymised with a key held by the analyst; personal data in free text is redacted. Pseudonymised data is still personal data: this report is for the client only.":
     "Создано cxlab {version} {stamp}. Идентификаторы клиентов псевдонимизированы ключом, который хранится у аналитика; персональные данные в свободном тексте скрыты. Псевдонимизированные данные остаются персональными: отчёт предназначен только для клиента.",
 "{client} — customer-experience report": "{client} — отчёт о клиентском опыте",
 "Demo company «{company}» — customer-experience report": "Демо-компания «{company}» — отчёт о клиентском опыте",
 "Customer-experience report": "Отчёт о клиентском опыте",
 " · period {period}": " · период {period}", "Headline findings": "Главные выводы",
 "This part is incomplete: {error}": "Эта часть неполная: {error}",
 "No headline finding was produced (see the reports below).": "Главных выводов нет (см. отчёты ниже).",
 "Reports": "Отчёты", " (incomplete)": " (неполный)", "Methods appendix": "Приложение о методах",
 ": sample sizes, methods, rules, versions, data fingerprints": ": объёмы выборок, методы, правила, версии, отпечатки файлов данных",
 "Data used": "Использованные данные", "No data table was loaded.": "Ни одна таблица данных не загружена.",
 "not installed": "не установлен", "Methods appendix — {heading}": "Приложение о методах — {heading}",
 "Data and sample sizes": "Данные и объёмы выборок",
 "File fingerprints (SHA-256): the same fingerprint means the same file, byte for byte.":
     "Отпечатки файлов (SHA-256): одинаковый отпечаток означает побайтно один и тот же файл.",
 "table": "таблица", "file": "файл", "bytes": "байт",
 "Intervals are {level} intervals; tests are two-sided at the {alpha} level.":
     "Интервалы — {level}-е доверительные интервалы; тесты двусторонние, уровень значимости {alpha}.",
 "Groups with fewer than {min_base} responses are suppressed (no value and no test is shown); groups with fewer than {low_base} are flagged as low base.":
     "Группы, где меньше {min_base} ответов, скрываются (ни значение, ни тест не показываются); группы, где меньше {low_base} ответов, отмечаются как малая база.",
 "Where several groups or periods are compared, p-values are adjusted for multiple comparisons (Holm) before a difference is called significant.":
     "Когда сравниваются несколько групп или периодов, p-значения корректируются на множественные сравнения (поправка Холма), прежде чем различие называется значимым.",
 "Survey weights supplied in the data were applied.": "Применены веса опроса, заданные в данных.",
 "No survey weights were supplied: estimates describe the respondents as they are.": "Веса опроса не заданы: оценки описывают респондентов как есть.",
 "Rules": "Правила", "Methods behind the headline findings": "Методы, стоящие за главными выводами",
 "report": "отчёт", "finding": "вывод", "method": "метод", "interval": "интервал",
 "No headline finding carries a method.": "Ни у одного главного вывода не указан метод.",
 "Parameters": "Параметры", "Software": "Программное обеспечение", "Privacy": "Конфиденциальность",
 "Customer identifiers are replaced by keyed pseudonyms (HMAC-SHA-256 with a secret key held by the analyst, never part of the report); e-mail addresses, phone numbers and person names in free text are redacted; columns whose values look like contact data are left out of every table. Pseudonymised data is still personal data (GDPR Recital 26; Russian Federal Law 152-FZ): the report is for the client only.":
     "Идентификаторы клиентов заменены псевдонимами с ключом (HMAC-SHA-256 с секретным ключом, который хранится у аналитика и никогда не входит в отчёт); адреса e-mail, номера телефонов и имена людей в свободном тексте скрыты; столбцы, значения которых похожи на контактные данные, не выводятся ни в одной таблице. Псевдонимизированные данные остаются персональными (GDPR, пункт 26 преамбулы; Федеральный закон № 152-ФЗ): отчёт предназначен только для клиента.",
 "Methods — {heading}": "Методы — {heading}", "Methods and data": "Методы и данные",
 "Sample sizes, interval and test methods, minimum-base rules, weighting, software versions and data fingerprints are in methods.html next to this deck. Customer identifiers are pseudonymised; the deck is for the client only.":
     "Объёмы выборок, методы интервалов и тестов, правила минимальной базы, взвешивание, версии программ и отпечатки данных — в файле methods.html рядом с этой презентацией. Идентификаторы клиентов псевдонимизированы; презентация предназначена только для клиента.",
 "← all reports": "← все отчёты", "methods": "методы",
 # vocabulary values
 ("value", "store"): "магазин", ("value", "web"): "сайт", ("value", "phone"): "телефон", ("value", "chat"): "чат",
 ("value", "email"): "e-mail", ("value", "social"): "соцсети", ("value", "messenger"): "мессенджер",
 ("value", "detractor"): "критик", ("value", "passive"): "нейтрал", ("value", "promoter"): "промоутер",
 ("value", "detractors"): "критики", ("value", "passives"): "нейтралы", ("value", "promoters"): "промоутеры",
 ("value", "champions"): "чемпионы", ("value", "loyal"): "лояльные", ("value", "potential loyalists"): "потенциально лояльные",
 ("value", "new"): "новые", ("value", "promising"): "перспективные", ("value", "need attention"): "требуют внимания",
 ("value", "about to sleep"): "засыпающие", ("value", "at risk"): "в зоне риска",
 ("value", "cannot lose them"): "нельзя потерять", ("value", "hibernating"): "спящие", ("value", "lost"): "потерянные",
 ("value", "Champions"): "Чемпионы", ("value", "Loyal"): "Лояльные", ("value", "At risk"): "В зоне риска",
 ("value", "Lost"): "Потерянные", ("value", "priority to improve"): "приоритет для улучшения",
 ("value", "maintain"): "поддерживать", ("value", "secondary"): "второстепенное",
 ("value", "possible overkill"): "возможно, избыточно", ("value", "standard"): "стандартные",
 ("value", "low"): "низкий", ("value", "mid"): "средний", ("value", "high"): "высокий", ("value", "premium"): "премиум",
 ("value", "budget"): "бюджетный",
 # labels
 "channel": "канал", "group": "группа", "letter": "буква", "period": "период", "change": "изменение",
 "mean": "среднее", "driver": "драйвер", "attribute": "атрибут", "theme": "тема", "label": "название",
 "quote": "цитата", "nps class": "группа NPS", "score": "оценка", "segment": "сегмент", "region": "регион",
 "country": "страна", "department": "отдел", "share": "доля", "count": "число", "customers": "клиенты",
 "responses": "ответы", "difference": "разница", "gap": "разрыв", "suppressed": "скрыто",
 "significantly above": "значимо выше, чем", "NPS": "NPS", "eNPS": "eNPS", "n per wave": "n на волну",
 "n per group": "n на группу", "n total": "n всего", "margin of error": "погрешность",
 "other periods": "другие периоды", "likelihood to recommend": "готовность рекомендовать",
 "delivery": "доставка", "price": "цена", "quality": "качество", "staff": "персонал", "assortment": "ассортимент",
 "CI low (mean)": "ДИ от (среднее)", "CI high (mean)": "ДИ до (среднее)", "% top-2-box": "% top-2-box",
 "CI low (top-2-box)": "ДИ от (top-2-box)", "CI high (top-2-box)": "ДИ до (top-2-box)", "importance": "важность",
 "performance": "оценка атрибута", "quadrant": "квадрант", "relative weight": "относительный вес",
 "lmg": "LMG", "ologit coef": "коэф. ologit", "leans": "тяготеет к", "lift detractors": "лифт у критиков",
 "lift promoters": "лифт у промоутеров", "pct all": "% всех", "mean in": "среднее в периоде",
 "mean out": "среднее вне периода", "variant": "вариант", "p adjusted": "p (скорр.)",
 "stated price tier": "заявленный ценовой сегмент", "price tier": "ценовой сегмент", "category": "категория",
 "rows read": "прочитано строк", "kept": "оставлено", "quarantined": "в карантине", "dates": "даты",
 "Start here: your data, the four tables and the themed notebooks": "С чего начать: ваши данные, четыре таблицы и тематические блокноты",
 "Who are our customers, by what they do? Behavioural segmentation, best customers and lifetime value":
     "Кто наши клиенты по их поведению? Поведенческая сегментация, лучшие клиенты и пожизненная ценность",
 "Do customers do what they say? Survey answers next to purchase behaviour (the say–do gap)":
     "Делают ли клиенты то, что говорят? Ответы опроса рядом с покупательским поведением (разрыв «говорят — делают»)",
 "How loyal are our customers? NPS done properly": "Насколько лояльны наши клиенты? NPS по всем правилам",
 "Is the experience the same in every channel? Part 1: one customer behind every channel":
     "Одинаков ли опыт во всех каналах? Часть 1: один клиент за всеми каналами",
 "Respondents vs the customer base": "Респонденты и клиентская база",
 "NPS and actual repurchase": "NPS и фактические повторные покупки",
 "What drives saying vs doing": "Что движет словами и что — поступками",
 "Offer back-test: stated vs revealed favourite": "Проверка предложений на истории: заявленная и фактическая любимая категория",
 "Where the experience is least consistent": "Где опыт наименее единообразен",
 "One voice in every channel": "Единый голос во всех каналах",
 "No channel stands out once the customer mix is equal": "При одинаковом составе клиентов ни один канал не выделяется",
 "No evidence that the same customers rate channels differently": "Нет оснований считать, что одни и те же клиенты оценивают каналы по-разному",
 "standardised mean differences; raking (weightipy); Kish design effect":
     "стандартизованные разности средних; рейкинг (weightipy); дизайн-эффект Киша",
 "logistic regression (statsmodels); AUC with bootstrap interval": "логистическая регрессия (statsmodels); AUC с бутстреп-интервалом",
 "standardised OLS (say) and logistic regression per SD (do)": "стандартизованная МНК-регрессия (слова) и логистическая регрессия на 1 SD (поступки)",
 "paired back-test on a later window; McNemar": "парная проверка на более позднем окне; критерий Мак-Немара",
 "pairwise precision/recall against the planted person ids": "попарные точность и полнота относительно заложенных идентификаторов людей",
 "deterministic rules + splink; connected components": "детерминированные правила + splink; компоненты связности",
 "splink scores re-clustered at each threshold; NPS with adjusted Wald intervals":
     "оценки splink, перекластеризованные при каждом пороге; NPS со скорректированными интервалами Вальда",
 "OLS with HC3 robust errors on segment, region, age cohort; direct standardisation as a cross-check":
     "МНК с робастными ошибками HC3 по сегменту, региону, возрастной когорте; прямая стандартизация для перекрёстной проверки",
 "linear mixed model, random intercept per person (REML)": "линейная смешанная модель, случайный свободный член для каждого человека (REML)",
 "tone lexicons; RMS of Cohen's h/d from the median channel; percentile bootstrap":
     "словари тональности; среднеквадратичное h/d Коэна от медианного канала; процентильный бутстреп",
 "gaps to the rest of the company, Holm-adjusted; flagged when significant and at least 0.2 SD":
     "разрывы с остальной компанией с поправкой Холма; отмечаются, если значимы и не меньше 0,2 SD",
 "Holm": "Холма", "Bonferroni": "Бонферрони", "Fdr_bh": "Бенджамини — Хохберга",
 "trace the {ch} cases left unresolved to their causes (missing authority, information or hand-offs) and close the gaps":
     "найдите причины нерешённых обращений в канале «{ch}» (не хватает полномочий, информации или обращение передаётся дальше) и устраните их",
 "find why {ch} customers have to come back about the same case and resolve it on the first contact":
     "выясните, почему клиентам канала «{ch}» приходится обращаться повторно по тому же вопросу, и решайте его с первого обращения",
 "**Report for {client}, {period}.** ": "**Отчёт для {client}, {period}.** ",
 "**Report for {client}.** ": "**Отчёт для {client}.** ", "**Period: {period}.** ": "**Период: {period}.** ",
 "**Data:** {purchases} purchases by {customers} customers, {first} – {last}.":
     "**Данные:** покупок — {purchases}, клиентов — {customers}, {first} – {last}.",
 " Amounts in {currency}.": " Суммы в {currency}.",
 ' Amounts are shown as they are in the data, without a currency (set the `currency` parameter, e.g. "USD", to label them).':
     ' Суммы показаны как в данных, без валюты (чтобы подписать их, задайте параметр `currency`, например "RUB").',
 " No category or channel column: the clustering uses buying behaviour only.":
     " Нет столбцов категории и канала: кластеризация учитывает только покупательское поведение.",
 " No category column: the clustering leaves the category mix out.": " Нет столбца категории: кластеризация не учитывает структуру категорий.",
 " No channel column: the clustering leaves the channel mix out.": " Нет столбца канала: кластеризация не учитывает структуру каналов.",
 "**Skipped:** *{section}* needs at least {min_months} months of purchases before {cut}; the data start on {first}, {months} months before.":
     "**Пропущено:** для раздела *{section}* нужны покупки минимум за {min_months} мес. до {cut}; данные начинаются {first}, за {months} мес. до этой даты.",
 ("Of {n} customers, {share} have made only one purchase day so far; the median customer has {median} repeat purchase day.",):
     ("Из {n} клиентов {share} пока покупали только в один день; у медианного клиента {median} день повторных покупок.",
      "Из {n} клиентов {share} пока покупали только в один день; у медианного клиента {median} дня повторных покупок.",
      "Из {n} клиентов {share} пока покупали только в один день; у медианного клиента {median} дней повторных покупок."),
 "RFM scores 1–5 (quintiles of ranks) named by the classic recency × frequency segment map":
     "RFM-баллы 1–5 (квинтили рангов), названные по классической карте сегментов «давность × частота»",
 "No revenue recorded": "Выручка не зафиксирована",
 "The {n} customers have no recorded revenue, so the segments cannot be compared by value; check the amount column of the transactions.":
     "У клиентов ({n}) нет зафиксированной выручки, поэтому сегменты нельзя сравнить по ценности; проверьте столбец суммы в транзакциях.",
 "All customers fall in one RFM segment": "Все клиенты попали в один RFM-сегмент",
 "Every customer falls in one RFM segment (*{segment}*), so the segments do not separate customers here; try other cut points (below) or the clustering of section 4.":
     "Все клиенты попали в один RFM-сегмент (*{segment}*), поэтому сегменты здесь не разделяют клиентов; попробуйте другие границы (ниже) или кластеризацию из раздела 4.",
 "The {first} and {second} segments bring {share} of revenue": "Сегменты «{first}» и «{second}» приносят {share} выручки",
 "The two RFM segments with the most revenue, *{first}* and *{second}*, are {customers} of customers and bring {revenue} of revenue.":
     "Два RFM-сегмента с наибольшей выручкой, *{first}* и *{second}*, — это {customers} клиентов, и они приносят {revenue} выручки.",
 " No customer is in the win-back segments ({segments}): nobody who bought often has been away long, relative to the other customers.":
     " В сегментах для возврата ({segments}) нет ни одного клиента: никто из часто покупавших не пропал надолго по сравнению с остальными клиентами.",
 "{customers} of customers and {revenue} of revenue so far": "{customers} клиентов и {revenue} выручки на сегодня",
 " Customers who used to buy often but have not come back ({names}) are {size} — the first target for win-back.":
     " Клиенты, которые раньше покупали часто, но не вернулись ({names}), — это {size}; с них и стоит начинать возврат.",
 " Customers who used to buy often but have not come back ({names}) are {size}; {late} of them have been away more than twice their own usual time between purchases — the first target for win-back.":
     " Клиенты, которые раньше покупали часто, но не вернулись ({names}), — это {size}; {late} из них отсутствуют дольше двух своих обычных интервалов между покупками — с них и стоит начинать возврат.",
 "none of them has": "ни один из них не", "only {late} of them have": "лишь {late} из них",
 " The RFM map puts {size} in {names}, but {few} been away more than twice their own usual time between purchases: the label ranks customers against each other and is no evidence here that they have left.":
     " RFM-карта относит к {names} {size}, но {few} отсутствует дольше двух своих обычных интервалов между покупками: метка лишь ранжирует клиентов друг относительно друга и не доказывает, что они ушли.",
 "; overdue = away more than twice the customer's own mean gap between purchases":
     "; просрочка = отсутствие дольше двух собственных средних интервалов клиента между покупками",
 "Revenue is highly concentrated": "Выручка сильно сконцентрирована", "Revenue is concentrated": "Выручка сконцентрирована",
 "Revenue is moderately concentrated": "Выручка умеренно сконцентрирована",
 "Revenue is spread fairly evenly across customers": "Выручка распределена между клиентами довольно равномерно",
 ("The Gini coefficient of revenue per customer is {gini}: the top {p5} of customers ({n} person, spending at least {amount} each) bring {share5} of revenue, the top {p20} bring {share20}.",):
     ("Коэффициент Джини для выручки на клиента — {gini}: верхние {p5} клиентов ({n} человек, каждый потратил не менее {amount}) приносят {share5} выручки, верхние {p20} — {share20}.",
      "Коэффициент Джини для выручки на клиента — {gini}: верхние {p5} клиентов ({n} человека, каждый потратил не менее {amount}) приносят {share5} выручки, верхние {p20} — {share20}.",
      "Коэффициент Джини для выручки на клиента — {gini}: верхние {p5} клиентов ({n} человек, каждый потратил не менее {amount}) приносят {share5} выручки, верхние {p20} — {share20}."),
 " Making these customers allies — recognition, early access, a referral programme — protects a large part of the business.":
     " Сделать этих клиентов союзниками — признание, ранний доступ, реферальная программа — значит защитить большую часть бизнеса.",
 " No small group carries the business: broad retention matters more than a VIP programme.":
     " Бизнес не держится на узкой группе: широкое удержание важнее VIP-программы.",
 "Gini coefficient and top-share table of revenue per customer": "коэффициент Джини и доли верхних клиентов в выручке на клиента",
 "the data meet it": "данные этому соответствуют", "the data fall short of it": "данные до этого не дотягивают",
 "(Demo check: the planted *champions*, {customers} of customers, carry {revenue} of revenue; the design says at least {design}, and {verdict}.)":
     "(Проверка на демо-данных: заложенные *чемпионы* — {customers} клиентов — приносят {revenue} выручки; по замыслу не меньше {design}, и {verdict}.)",
 "the stability of the segments was not measured": "устойчивость сегментов не измерялась",
 "the segments are reproducible": "сегменты воспроизводимы",
 "the segments are only partly reproducible: the core of each segment comes back, its borders move between samples":
     "сегменты воспроизводимы лишь частично: ядро каждого сегмента повторяется, а границы смещаются от выборки к выборке",
 "the segment borders move between samples: read them as tendencies, not hard classes":
     "границы сегментов смещаются от выборки к выборке: читайте их как тенденции, а не жёсткие классы",
 "stability not measured": "устойчивость не измерялась", "reproducible": "воспроизводимы",
 "partly reproducible": "частично воспроизводимы", "borders move between samples": "границы смещаются между выборками",
 "k-means on log-scaled, standardised behavioural features": "k-средних на логарифмированных стандартизованных поведенческих признаках",
 "Gaussian mixture on log-scaled, standardised behavioural features": "гауссова смесь на логарифмированных стандартизованных поведенческих признаках",
 "{method} on log-scaled, standardised behavioural features": "{method} на логарифмированных стандартизованных поведенческих признаках",
 "With k = {k}, segment 1 — the highest revenue per customer — holds {customers} of customers and {revenue} of revenue.":
     "При k = {k} в сегменте 1 — с самой высокой выручкой на клиента — {customers} клиентов и {revenue} выручки.",
 " The silhouette is highest at k = {k};": " Силуэт максимален при k = {k};",
 " The silhouette could not be computed;": " Силуэт рассчитать не удалось;",
 " the stability at k = {k} was not measured (add it to the ks of cluster_stability).": " устойчивость при k = {k} не измерялась (добавьте это k в cluster_stability).",
 "{k} behavioural segments: {verdict}": "Поведенческих сегментов: {k}; {verdict}",
 " the bootstrap ARI at k = {k} is {ari} ({p95} of replicates between {low} and {high}; 1 = the same segments every time), so {verdict}.":
     " бутстреп-ARI при k = {k} равен {ari} ({p95} повторов — от {low} до {high}; 1 = каждый раз те же сегменты), так что {verdict}.",
 " of {n} bootstrap replicates": " из {n} бутстреп-повторов", " of bootstrap replicates": " бутстреп-повторов",
 "ARI {ari}, {p95}{reps} {low}–{high}": "ARI {ari}, {p95}{reps}: {low}–{high}",
 "the segments are hardly more alike between samples than chance would make them: these data show no stable behavioural segments at this k, so use the RFM segments above instead":
     "сегменты в разных выборках совпадают немногим лучше, чем случайно: устойчивых поведенческих сегментов при этом k в данных нет, поэтому лучше опираться на RFM-сегменты выше",
 "no better than chance": "не лучше случайного",
 "No customer has bought more than once yet, so there is no repeat spend to model.":
     "Пока ни один клиент не покупал больше одного раза, так что моделировать повторные траты не на чем.",
 (" the bootstrap ARI at k = {k} is {ari} (its {n} replicate lies between {low} and {high}; 1 = the same segments every time), so {verdict}.",):
     (" бутстреп-ARI при k = {k} равен {ari} ({n} бутстреп-повтор — от {low} до {high}; 1 = каждый раз те же сегменты), так что {verdict}.",
      " бутстреп-ARI при k = {k} равен {ari} ({n} бутстреп-повтора — от {low} до {high}; 1 = каждый раз те же сегменты), так что {verdict}.",
      " бутстреп-ARI при k = {k} равен {ari} ({n} бутстреп-повторов — от {low} до {high}; 1 = каждый раз те же сегменты), так что {verdict}."),
 ("ARI {ari}, {n} bootstrap replicate {low}–{high}",):
     ("ARI {ari}, {n} бутстреп-повтор: {low}–{high}", "ARI {ari}, {n} бутстреп-повтора: {low}–{high}",
      "ARI {ari}, {n} бутстреп-повторов: {low}–{high}"),
 "**Finding.** The clusters agree with the planted segments with ARI = {ari} (the named RFM segments: ARI = {rfm_ari}). Clusters map mostly to: ":
     "**Вывод.** Кластеры совпадают с заложенными сегментами с ARI = {ari} (именованные RFM-сегменты: ARI = {rfm_ari}). Кластеры в основном соответствуют: ",
 "Well separated (at least {share} of their customers in one cluster): ": "Хорошо отделены (не меньше {share} клиентов в одном кластере): ",
 "spread over several clusters: ": "распределены по нескольким кластерам: ",
 "Between {since} and {until}": "С {since} по {until}",
 "**Finding.** {span}: nobody was in *{top}* at the start, so there is no retention of *{top}* to report;":
     "**Вывод.** {span}: в начале в сегменте *{top}* никого не было, поэтому об удержании сегмента *{top}* сказать нечего;",
 "**Finding.** {span}, {kept} of the {n} *{top}* stayed *{top}*;": "**Вывод.** {span} {kept} из {n} клиентов сегмента *{top}* остались в нём;",
 " or ": " или ",
 (" {n} former {good} customer has slipped into {slipped}.",):
     (" {n} бывший клиент сегментов {good} перешёл в {slipped}.", " {n} бывших клиента сегментов {good} перешли в {slipped}.",
      " {n} бывших клиентов сегментов {good} перешли в {slipped}."),
 " no former {good} customer has slipped into {slipped}.": " ни один бывший клиент сегментов {good} не перешёл в {slipped}.",
 ("the segment with the most revenue",): ("{k} сегмент с наибольшей выручкой", "{k} сегмента с наибольшей выручкой", "{k} сегментов с наибольшей выручкой"),
 "* **{segment}** ({customers} of customers, {revenue} of revenue): {strategy} — {actions}; via {channels}.":
     "* **{segment}** ({customers} клиентов, {revenue} выручки): {strategy} — {actions}; каналы: {channels}.",
 " *Check first: only {late} of them are overdue by their own buying rhythm, so most have not left.*":
     " *Сначала проверьте: лишь {late} из них просрочили свой обычный ритм покупок, так что большинство не ушло.*",
 "**Where to start** ({head}):": "**С чего начать** ({head}):",
 "the migration between segments": "переходы между сегментами", "the holdout check": "проверка на отложенном периоде",
 ("value", "can't lose"): "нельзя потерять", ("value", "reward"): "поощрять", ("value", "upsell"): "допродавать",
 ("value", "develop"): "развивать", ("value", "onboard"): "вовлекать", ("value", "reactivate"): "реактивировать",
 ("value", "win back"): "возвращать", ("value", "let go"): "отпустить",
 ("value", "make them allies: early access, referral programme, ask for reviews; no discounts"):
     "сделать союзниками: ранний доступ, реферальная программа, просьба об отзывах; без скидок",
 ("value", "upsell premium ranges, membership tiers, ask for referral and feedback"):
     "предлагать премиальные линейки и уровни членства, просить рекомендации и обратную связь",
 ("value", "loyalty programme invitation, personalised recommendations"): "приглашение в программу лояльности, персональные рекомендации",
 ("value", "welcome series, first-repeat incentive, introduce the assortment"): "приветственная серия писем, стимул к первой повторной покупке, знакомство с ассортиментом",
 ("value", "targeted offers on the first category bought, samples or events"): "адресные предложения по первой купленной категории, пробники или мероприятия",
 ("value", "limited-time offers based on past purchases, satisfaction check"): "ограниченные по времени предложения по прошлым покупкам, проверка удовлетворённости",
 ("value", "reminders and popular products, small incentive"): "напоминания и популярные товары, небольшой стимул",
 ("value", "personal win-back offer, ask what went wrong (survey or call)"): "персональное предложение вернуться, вопрос, что пошло не так (опрос или звонок)",
 ("value", "priority personal contact by a manager, service recovery"): "приоритетный личный контакт менеджера, восстановление сервиса",
 ("value", "low-cost reactivation: seasonal campaigns, new products"): "недорогая реактивация: сезонные кампании, новинки",
 ("value", "cheap mass channels only; exclude from costly campaigns"): "только дешёвые массовые каналы; исключить из дорогих кампаний",
 ("value", "personal manager, email, messenger"): "персональный менеджер, e-mail, мессенджер",
 ("value", "email, messenger, store"): "e-mail, мессенджер, магазин", ("value", "email, web"): "e-mail, сайт",
 ("value", "email, messenger"): "e-mail, мессенджер", ("value", "email, social"): "e-mail, соцсети",
 ("value", "email, phone"): "e-mail, телефон", ("value", "phone, email"): "телефон, e-mail",
 ("value", "phone, personal manager"): "телефон, персональный менеджер", ("value", "advocacy"): "рекомендации",
 ("value", "grow value"): "рост ценности", ("value", "more frequent purchases"): "более частые покупки",
 ("value", "second purchase"): "вторая покупка", ("value", "keep them active"): "сохранить активность",
 ("value", "prevent lapse"): "не дать уйти", ("value", "win back the most valuable"): "вернуть самых ценных",
 ("value", "reactivate cheaply"): "недорого реактивировать", ("value", "low cost"): "минимальные затраты",
 "by customer id": "по id клиента", "by e-mail": "по e-mail", "by phone": "по телефону", "by {key}": "по ключу {key}",
 "{linked} of {total} survey responses ({share}) were linked to a customer: {keys}.":
     "С клиентом связаны {linked} из {total} ответов опроса ({share}): {keys}.",
 " {n} could not be linked ({reasons}).": " Не удалось связать: {n} ({reasons}).",
 "The stated {label} has no order, so only agreement, not a direction, can be measured.":
     "Заявленный показатель «{label}» не упорядочен, поэтому можно измерить только согласие, но не направление расхождения.",
 "Too few answers to measure the direction of the gap in {label} (n = {n}).":
     "Слишком мало ответов, чтобы измерить направление расхождения по показателю «{label}» (n = {n}).",
 "Respondents over-claim their {label}: {over} (95% CI {over_ci}) state a higher level than their purchases show, only {under} ({under_ci}) a lower one; {agree} match (n = {n}).":
     "Респонденты завышают показатель «{label}»: {over} (95" + NB + "%-й ДИ {over_ci}) называют уровень выше, чем показывают их покупки, и лишь {under} ({under_ci}) — ниже; совпадают {agree} (n = {n}).",
 "Respondents under-claim their {label}: {over} (95% CI {over_ci}) state a higher level than their purchases show, {under} ({under_ci}) a lower one; {agree} match (n = {n}).":
     "Респонденты занижают показатель «{label}»: {over} (95" + NB + "%-й ДИ {over_ci}) называют уровень выше, чем показывают их покупки, {under} ({under_ci}) — ниже; совпадают {agree} (n = {n}).",
 "No evidence that respondents lean either way on {label} at this sample size: {over} (95% CI {over_ci}) state a higher level than their purchases show, {under} ({under_ci}) a lower one (n = {n}).":
     "Нет оснований считать, что при таком объёме выборки респонденты смещают показатель «{label}» в какую-либо сторону: {over} (95" + NB + "%-й ДИ {over_ci}) называют уровень выше, чем показывают их покупки, {under} ({under_ci}) — ниже (n = {n}).",
 "On {label}, stated and actual agree for {agree} of respondents, but {chance} would agree by chance alone, given how the answers are spread over the levels; kappa = (agreement − chance) / (1 − chance) = {kappa} ({low} to {high}). The more one level dominates, the higher chance agreement and the lower kappa for the same raw agreement.":
     "По показателю «{label}» заявленное и фактическое совпадают у {agree} респондентов, но {chance} совпали бы и случайно — с учётом того, как ответы распределены по уровням; каппа = (согласие − случайное) / (1 − случайное) = {kappa} (от {low} до {high}). Чем сильнее преобладает один уровень, тем выше случайное согласие и тем ниже каппа при том же исходном согласии.",
 "Respondents differ from the customer base on {k} variable(s), most on {top}.":
     "Респонденты отличаются от клиентской базы по переменным ({k}), сильнее всего — по {top}.",
 "Respondents look like the customer base: no standardised difference exceeds {threshold}.":
     "Респонденты похожи на клиентскую базу: ни одна стандартизованная разность не превышает {threshold}.",
 " After weighting, {k} variable(s) remain above {threshold}.": " После взвешивания выше {threshold} остаются переменные: {k}.",
 "No action follows from these data: nothing customers said could be set against what they did with enough evidence. Add stated questions (price tier, frequency, favourite category, intent to buy again) to the next survey to measure the say–do gap.":
     "Из этих данных не следует никаких действий: ни одно заявление клиентов не удалось с достаточной уверенностью сопоставить с их поведением. Добавьте в следующий опрос вопросы о ценовом сегменте, частоте покупок, любимой категории и намерении купить снова, чтобы измерить разрыв между словами и делами.",
 " Weighting to the base does not change the NPS ({raw}; design effect {deff}, effective n {n_eff} of {n}).":
     " Взвешивание на клиентскую базу не меняет NPS ({raw}; дизайн-эффект {deff}, эффективный n {n_eff} из {n}).",
 " Weighted to the base, the NPS is {weighted} instead of {raw} (design effect {deff}, effective n {n_eff} of {n}).":
     " При взвешивании на клиентскую базу NPS равен {weighted}, а не {raw} (дизайн-эффект {deff}, эффективный n {n_eff} из {n}).",
 "{said} said they would buy again, {did} did within {days} days (n = {n}). Of those who said yes, {ppv} bought ({ppv_ci}); of those who said no, {npv} bought anyway.":
     "{said} сказали, что купят снова, {did} купили в течение {days} дн. (n = {n}). Из ответивших «да» купили {ppv} ({ppv_ci}); из ответивших «нет» всё равно купили {npv}.",
 " Stated intent overstates repurchase (McNemar exact {p}).": " Заявленное намерение завышает повторные покупки (точный критерий Мак-Немара, {p}).",
 " Stated intent understates repurchase (McNemar exact {p}).": " Заявленное намерение занижает повторные покупки (точный критерий Мак-Немара, {p}).",
 " No evidence that stated intent over- or understates repurchase at this sample size ({p}).":
     " Нет оснований считать, что при таком объёме выборки заявленное намерение завышает или занижает повторные покупки ({p}).",
 "{promoters} of promoters bought again within {days} days ({promoters_ci}) against {detractors} of detractors ({detractors_ci})":
     "{promoters} промоутеров купили снова в течение {days} дн. ({promoters_ci}) против {detractors} критиков ({detractors_ci})",
 "; odds ratio {estimate}, {low}–{high}": "; отношение шансов {estimate}, {low}–{high}",
 "What customers say does predict what they do: {rates}{detail}.": "Слова клиентов действительно предсказывают их поступки: {rates}{detail}.",
 "No clear evidence that promoters buy again more than detractors at this sample size: {rates}{detail}.":
     "Нет явных оснований считать, что при таком объёме выборки промоутеры покупают повторно чаще критиков: {rates}{detail}.",
 "Too few promoters or detractors to compare their repurchase.": "Слишком мало промоутеров или критиков, чтобы сравнить их повторные покупки.",
 " The model with its controls separates buyers from non-buyers with AUC {auc} ({low}–{high}), where 0.5 is a coin toss.":
     " Модель с контрольными переменными отделяет покупателей от непокупателей с AUC {auc} ({low}–{high}); 0,5 — это подбрасывание монеты.",
 "no better than a coin toss": "не лучше подбрасывания монеты", "a weak predictor": "слабый предиктор",
 "a moderate predictor": "умеренный предиктор", "a strong predictor": "сильный предиктор",
 " On its own, what customers say is {strength} of what they do: AUC {auc} ({low}–{high}), where 0.5 is a coin toss":
     " Сами по себе слова клиентов — {strength} их поступков: AUC {auc} ({low}–{high}); 0,5 — это подбрасывание монеты",
 "; past behaviour adds most of the model's AUC of {auc} ({low}–{high})": "; бо́льшую часть AUC модели ({auc}, {low}–{high}) даёт прошлое поведение",
 "{driver} drives the likelihood to recommend most, but no rating predicts actual repurchase with confidence at this sample size (n = {n}).":
     "«{driver}» сильнее всего влияет на готовность рекомендовать, но при таком объёме выборки ни одна оценка уверенно не предсказывает фактические повторные покупки (n = {n}).",
 "{driver} drives both what customers say and what they do (n = {n}).": "«{driver}» определяет и слова клиентов, и их поступки (n = {n}).",
 "What drives the recommendation is not what drives repurchase: {driver} matters most for the likelihood to recommend, while actual repurchase is predicted by {names} (n = {n}).":
     "Рекомендацию и повторную покупку определяют разные вещи: для готовности рекомендовать важнее всего «{driver}», а фактические повторные покупки предсказывают {names} (n = {n}).",
 "offering the stated favourite would have reached {stated} ({stated_ci}), the revealed favourite {revealed} ({revealed_ci})":
     "предложение заявленной любимой категории сработало бы у {stated} ({stated_ci}), фактической любимой — у {revealed} ({revealed_ci})",
 " (difference {difference} points, {low} to {high}; McNemar {p}; n = {n}).": " (разница {difference} п., от {low} до {high}; Мак-Немар {p}; n = {n}).",
 "Offers from what customers do beat offers from what they say: {rates}": "Предложения по поступкам клиентов лучше предложений по их словам: {rates}",
 "Here the stated favourite was the better offer: {rates}": "Здесь заявленная любимая категория оказалась лучшим предложением: {rates}",
 "No evidence that either offer sells more at this sample size: {rates}": "Нет оснований считать, что при таком объёме выборки какое-либо из предложений продаёт лучше: {rates}",
 ", most in {group}": ", больше всего — {group}",
 "Do not size or target on the stated {label}: about {share} overstate it{who}. Use the {label} from purchase data instead.":
     "Не оценивайте рынок и не таргетируйте по заявленному показателю «{label}»: примерно {share} его завышают{who}. Используйте «{label}» по данным покупок.",
 "Discount stated purchase intent when forecasting: fewer customers buy again than say they will.":
     "Делайте поправку на заявленное намерение купить при прогнозировании: покупают снова меньше клиентов, чем обещают.",
 "Build personal offers from the revealed favourite category, not the stated one.": "Стройте персональные предложения по фактической любимой категории, а не по заявленной.",
 "Keep asking the favourite category: here it predicted the next purchase better than past purchases; re-test on a new window before switching offer logic.":
     "Продолжайте спрашивать о любимой категории: здесь она предсказала следующую покупку лучше прошлых покупок; перепроверьте на новом окне, прежде чем менять логику предложений.",
 "Run a controlled test before choosing between stated and revealed offers: the back-test does not separate them.":
     "Прежде чем выбирать между заявленными и фактическими предложениями, проведите контролируемый эксперимент: проверка на истории их не различает.",
 "Report the NPS weighted to the customer base: weighting moves it by {shift} points.":
     "Приводите NPS, взвешенный на клиентскую базу: взвешивание сдвигает его на {shift} п.",
 "purchase frequency": "частота покупок",
 "NPS points": "п. NPS", "percentage points": "п. п.", "points on its scale": "балла по своей шкале", "seconds": "с",
 "CSAT (mean, 1–5)": "CSAT (среднее, 1–5)", "CSAT top-2-box (4–5)": "CSAT top-2-box (4–5)", "CES (mean, 1–7)": "CES (среднее, 1–7)",
 "CES top-2-box (6–7)": "CES top-2-box (6–7)", "Contact CSAT (mean, 1–5)": "CSAT обращения (среднее, 1–5)",
 "First-contact resolution": "Решение с первого обращения", "Complaint rate": "Доля жалоб",
 "Resolution rate (cases resolved at any contact)": "Доля решённых вопросов (при любом обращении)",
 "Repeat-contact rate": "Доля повторных обращений", "points": "п.", "the rest of the company": "остальная компания",
 "{name}: {label} not compared (n = {n}, below the minimum base).": "{name}: {label} не сравнивается (n = {n}, меньше минимальной базы).",
 "{name}: {label} is {gap} {unit} higher than {compared} ({ci}; n = {n}).": "{name}: {label} на {gap} {unit} выше, чем {compared} ({ci}; n = {n}).",
 "{name}: {label} is {gap} {unit} lower than {compared} ({ci}; n = {n}).": "{name}: {label} на {gap} {unit} ниже, чем {compared} ({ci}; n = {n}).",
 "{name}: no evidence of a difference in {label} from {compared} at this sample size ({gap} {unit}, {ci}; n = {n}).":
     "{name}: нет оснований считать, что {label} отличается от показателя «{compared}» при таком объёме выборки ({gap} {unit}, {ci}; n = {n}).",
 " Detecting a gap of {gap} {unit} ({tolerance} SD) with 80% power would need about {need} answers in {channel}.":
     " Чтобы обнаружить разрыв в {gap} {unit} ({tolerance} SD) с мощностью 80" + NB + "%, нужно примерно {need} ответов в канале «{channel}».",
 "Comparing the same kinds of customers ({covariates}), the gap is {gap} {unit} ({ci}), so the channel itself, not only who uses it, makes the difference.":
     "При сравнении сопоставимых клиентов ({covariates}) разрыв составляет {gap} {unit} ({ci}), так что разницу создаёт сам канал, а не только состав его клиентов.",
 "About {share} of the raw gap is explained by who uses {channel} (its customer mix).":
     "Примерно {share} исходного разрыва объясняется тем, кто пользуется каналом «{channel}» (составом его клиентов).",
 "Comparing the same kinds of customers ({covariates}), there is no evidence of a gap ({gap} {unit}, {ci}): the raw difference in {label} is explained by who uses {channel}.":
     "При сравнении сопоставимых клиентов ({covariates}) нет оснований говорить о разрыве ({gap} {unit}, {ci}): исходная разница в показателе {label} объясняется тем, кто пользуется каналом «{channel}».",
 " On the demo company the planted gaps are {raw} raw and {within} within segment.": " В демо-компании заложены разрывы {raw} (исходный) и {within} (внутри сегмента).",
 "{name}: too few persons seen in {channel} and another channel for a within-person comparison ({n} persons in two or more channels).":
     "{name}: слишком мало людей, замеченных и в канале «{channel}», и в другом канале, для сравнения внутри одного человека (в двух и более каналах: {n}).",
 "the same persons' answers in the other channels": "ответы тех же людей в других каналах",
 " This compares {n} persons seen in {channel} and at least one other channel (mixed model with one intercept per person).":
     " Сравниваются люди ({n}), замеченные в канале «{channel}» и хотя бы в одном другом (смешанная модель со своим свободным членом для каждого человека).",
 "{label}: not enough answers per channel to test whether channels differ.": "{label}: слишком мало ответов на канал, чтобы проверить, различаются ли каналы.",
 "{label} differs between channels (chi-square {statistic}, df {dof}, {p}; Cramér's V {v}, n = {n})":
     "{label} различается между каналами (хи-квадрат {statistic}, ст. св. {dof}, {p}; V Крамера {v}, n = {n})",
 "; the Kruskal–Wallis test agrees ({p})": "; критерий Краскела — Уоллиса согласуется с этим ({p})",
 ". The association is small by Cohen's benchmarks for V.": ". По ориентирам Коэна для V связь слабая.",
 ". The association is moderate by Cohen's benchmarks for V.": ". По ориентирам Коэна для V связь умеренная.",
 ". The association is large by Cohen's benchmarks for V.": ". По ориентирам Коэна для V связь сильная.",
 "No evidence that {label} differs between channels at this sample size ({p}, n = {n}).":
     "Нет оснований считать, что {label} различается между каналами при таком объёме выборки ({p}, n = {n}).",
 ("{label}: no channel is materially worse than the rest (consistency index {index}/100, {k} channel, n = {n}).",):
     ("{label}: ни один канал не хуже остальных существенно (индекс единообразия {index}/100, {k} канал, n = {n}).",
      "{label}: ни один канал не хуже остальных существенно (индекс единообразия {index}/100, {k} канала, n = {n}).",
      "{label}: ни один канал не хуже остальных существенно (индекс единообразия {index}/100, {k} каналов, n = {n})."),
 "{label}: consistency index {index}/100 — materially worse than the rest: {flagged} (largest gap {gap} {unit} in {channel}, {effect} SD).":
     "{label}: индекс единообразия {index}/100 — существенно хуже остальных: {flagged} (наибольший разрыв {gap} {unit} в канале «{channel}», {effect} SD).",
 "Brand voice: too few messages per channel to compare the tone.": "Голос бренда: слишком мало сообщений на канал, чтобы сравнить тон.",
 "{name} messages are off-brand: tone divergence {divergence} ({ci}, tolerance {tolerance}; n = {n} messages)":
     "{name}: сообщения не в стиле бренда — расхождение тона {divergence} ({ci}, допуск {tolerance}; сообщений: {n})",
 "{feature} {mine} vs {others} elsewhere": "{feature}: {mine} против {others} в других каналах",
 "The other channels ({channels}) share one voice (divergence at most {divergence}, every interval below or around the {tolerance} tolerance).":
     "Остальные каналы ({channels}) говорят одним голосом (расхождение не больше {divergence}, все интервалы ниже допуска {tolerance} или около него).",
 "No channel's tone is off-brand beyond the tolerance.": "Ни в одном канале тон не выходит за допуск стиля бренда.",
 "Channel preference by {by}: not enough persons per group to test.": "Предпочтение каналов в разрезе «{by}»: слишком мало людей в группах для проверки.",
 "Preferred channels differ by {by} (chi-square {statistic}, df {dof}, {p}, Cramér's V {v}; n = {n} persons). Most preferred: {favourites}.":
     "Предпочитаемые каналы различаются в разрезе «{by}» (хи-квадрат {statistic}, ст. св. {dof}, {p}, V Крамера {v}; людей: {n}). Чаще всего предпочитают: {favourites}.",
 "No evidence that preferred channels differ by {by} at this sample size ({p}, n = {n} persons). Most preferred: {favourites}.":
     "Нет оснований считать, что предпочитаемые каналы различаются в разрезе «{by}» при таком объёме выборки ({p}, людей: {n}). Чаще всего предпочитают: {favourites}.",
 "review what happens in {ch} end to end (staff, scripts, waiting), starting with detractors' comments":
     "разберите весь путь клиента в канале «{ch}» (персонал, скрипты, ожидание), начиная с комментариев критиков",
 "listen to a sample of {ch} contacts and fix the most common causes of dissatisfaction":
     "прослушайте выборку обращений в канале «{ch}» и устраните самые частые причины недовольства",
 "remove effort in {ch}: transfers, repeated questions, long queues": "уберите лишние усилия в канале «{ch}»: переводы, повторные вопросы, долгие очереди",
 "coach {ch} agents with the best-rated channel's practices": "обучите операторов канала «{ch}» практикам канала с лучшими оценками",
 "give {ch} agents the authority and information to resolve on first contact": "дайте операторам канала «{ch}» полномочия и информацию, чтобы решать вопрос с первого обращения",
 "find what {ch} customers complain about and fix the cause": "выясните, на что жалуются клиенты канала «{ch}», и устраните причину",
 "investigate {ch}": "разберитесь с каналом «{ch}»",
 "{name} — {label} {gap} {unit} vs the rest ({p} after Holm): {advice}.": "{name} — {label} {gap} {unit} относительно остальных ({p} после поправки Холма): {advice}.",
 "{name} — tone off-brand (divergence {divergence}): give {channel} agents the brand's reply templates (greeting by name, courteous 'Вы', sign-off; no slang or emoji) and review a sample of replies monthly.":
     "{name} — тон не в стиле бренда (расхождение {divergence}): дайте операторам канала «{channel}» шаблоны ответов бренда (обращение по имени, вежливое «Вы», подпись; без сленга и эмодзи) и ежемесячно проверяйте выборку ответов.",
 "No channel is out of line by a material, significant margin: no channel-specific action is indicated by this audit; keep monitoring as answers accumulate.":
     "Ни один канал не выбивается из ряда существенно и значимо: аудит не требует мер для отдельных каналов; продолжайте мониторинг по мере накопления ответов.",
 ("{n} customer",): ("{n} клиент", "{n} клиента", "{n} клиентов"),
 "All {n} repeat customers have a positive average repeat spend, so all of them enter the spend model.":
     "У всех повторных клиентов ({n}) средняя сумма повторных покупок положительна, поэтому все они входят в модель трат.",
 ("**Left out of the spend model: {customers}** whose repeat purchases are worth 0 or less on average (free items, refunds or data errors). The Gamma-Gamma spend model needs a positive amount per purchase, so this customer is left out of the spend model and of the lifetime-value tables below; their purchases still count in the RFM segments, concentration and clustering above. The spend model uses the other {others} repeat customers.",):
     tuple(("**Исключены из модели трат: {customers}** — повторные покупки в среднем на 0 или меньше (бесплатные товары, возвраты или ошибки данных). Модели Gamma-Gamma нужна положительная сумма покупки, поэтому " + w + " исключены из модели трат и из таблиц пожизненной ценности ниже; их покупки по-прежнему учитываются в RFM-сегментах, концентрации и кластеризации выше. Модель трат использует остальных повторных клиентов: {others}.") for w in ("они", "они", "они")),
 "**The purchase model did not converge.** ": "**Модель покупок не сошлась.** ",
 "The BG/NBD model found no stable estimate on these {n} customers.": "Модель BG/NBD не нашла устойчивой оценки на этих клиентах ({n}).",
 "The BG/NBD model found no stable estimate.": "Модель BG/NBD не нашла устойчивой оценки.",
 " Its estimates run towards no drop-out at all (estimated chance of leaving after a purchase below {share}): hardly anyone here stops buying, and a model of who stops buying has nothing to learn from.":
     " Её оценки стремятся к полному отсутствию ухода (оценённая вероятность уйти после покупки ниже {share}): здесь почти никто не перестаёт покупать, и модели ухода не на чем учиться.",
 " P(alive), expected purchases and lifetime value are therefore not shown. The RFM summary, segments, concentration, clustering and migration above do not depend on this model and stand as they are. What to do: use a longer observation period or more customers; if your customers buy on a fixed rhythm (subscriptions), forecast revenue from that rhythm instead.":
     " Поэтому P(alive), ожидаемые покупки и пожизненная ценность не показаны. RFM-сводка, сегменты, концентрация, кластеризация и переходы выше от этой модели не зависят и остаются в силе. Что делать: возьмите более длинный период наблюдения или больше клиентов; если клиенты покупают в фиксированном ритме (подписки), прогнозируйте выручку по этому ритму.",
 "Lifetime value not estimated: the purchase model did not converge": "Пожизненная ценность не оценена: модель покупок не сошлась",
 "BG/NBD purchase model, maximum likelihood": "модель покупок BG/NBD, метод максимального правдоподобия",
 ", so expected spend and lifetime value are not shown. The RFM summary, segments, concentration, clustering and migration above do not depend on this model. What to do: use more customers or a longer period, or read value from the RFM segments' past revenue.":
     ", поэтому ожидаемые траты и пожизненная ценность не показаны. RFM-сводка, сегменты, концентрация, кластеризация и переходы выше от этой модели не зависят. Что делать: возьмите больше клиентов или более длинный период либо оценивайте ценность по прошлой выручке RFM-сегментов.",
 "**The spend model did not converge.** The Gamma-Gamma model found no stable estimate of average spend": "**Модель трат не сошлась.** Модель Gamma-Gamma не нашла устойчивой оценки средней суммы покупки",
 " on these {n} repeat customers": " на этих повторных клиентах ({n})",
 "Expected revenue over the next {horizon} months is {amount}; *{segment}* customers carry {share} of it.":
     "Ожидаемая выручка за следующие {horizon} мес. — {amount}; на клиентов сегмента *{segment}* приходится {share} от неё.",
 "Expected revenue over the next {horizon} months is {amount}.": "Ожидаемая выручка за следующие {horizon} мес. — {amount}.",
 " No valuable customer (top {top} by past repeat revenue) has P(alive) below {threshold}.":
     " Ни у одного ценного клиента (верхние {top} по прошлой выручке от повторных покупок) P(alive) не ниже {threshold}.",
 "Expected revenue over the next {horizon} months: {amount}": "Ожидаемая выручка за следующие {horizon} мес.: {amount}",
 (" {n} valuable customer (top {top} by past repeat revenue) now has P(alive) below {threshold}; together they spent {spent} in repeat purchases — the win-back list (ids are kept out of this report; export it with pseudonymised ids for the CRM team).",):
     (" У {n} ценного клиента (верхние {top} по прошлой выручке от повторных покупок) P(alive) сейчас ниже {threshold}; вместе они потратили {spent} на повторные покупки — это список для возврата (идентификаторы в отчёт не входят; выгрузите его с псевдонимизированными id для команды CRM).",
      " У {n} ценных клиентов (верхние {top} по прошлой выручке от повторных покупок) P(alive) сейчас ниже {threshold}; вместе они потратили {spent} на повторные покупки — это список для возврата (идентификаторы в отчёт не входят; выгрузите его с псевдонимизированными id для команды CRM).",
      " У {n} ценных клиентов (верхние {top} по прошлой выручке от повторных покупок) P(alive) сейчас ниже {threshold}; вместе они потратили {spent} на повторные покупки — это список для возврата (идентификаторы в отчёт не входят; выгрузите его с псевдонимизированными id для команды CRM)."),
 ("{n} valuable customer may be slipping away",): ("{n} ценный клиент, возможно, уходит", "{n} ценных клиента, возможно, уходят", "{n} ценных клиентов, возможно, уходят"),
 "BG/NBD purchases and Gamma-Gamma spend (maximum likelihood), discounted CLV":
     "покупки по BG/NBD и траты по Gamma-Gamma (максимальное правдоподобие), дисконтированная CLV",
 "* Holdout ({start}–{end}): the model predicted {predicted} repeat purchases against {actual} actual ({relative}); mean absolute error per customer {mae}. ":
     "* Отложенный период ({start}–{end}): модель предсказала {predicted} повторных покупок при фактических {actual} ({relative}); средняя абсолютная ошибка на клиента {mae}. ",
 "The error could not be computed (no repeat purchases in the holdout period).": "Ошибку рассчитать не удалось (в отложенном периоде нет повторных покупок).",
 "The model under-predicts by more than {tolerance}: BG/NBD assumes steady buying at each customer's own rate, so a seasonal peak in the holdout months or a change in behaviour is missed — read the CLV as a conservative baseline, not a forecast of peaks.":
     "Модель занижает прогноз более чем на {tolerance}: BG/NBD предполагает равномерные покупки в собственном темпе каждого клиента, поэтому сезонный пик в отложенные месяцы или изменение поведения она упускает — читайте CLV как консервативную базу, а не прогноз пиков.",
 "The model over-predicts by more than {tolerance}: treat the CLV as an optimistic ceiling.": "Модель завышает прогноз более чем на {tolerance}: считайте CLV оптимистичным потолком.",
 "Predictions are within {tolerance} of what happened.": "Прогноз отличается от фактического не более чем на {tolerance}.",
 "* The customer base is expected to bring **{amount}** over the next {horizon} months ({level} interval {low}–{high}{unit}, parameter uncertainty only)":
     "* Ожидается, что клиентская база принесёт **{amount}** за следующие {horizon} мес. ({level}-й интервал {low}–{high}{unit}, только неопределённость параметров)",
 "; the top {top} of customers carry **{share}** of it.": "; на верхние {top} клиентов приходится **{share}** от этой суммы.",
 "* **{share}** of customers are more likely gone than active (P(alive) < {threshold}).": "* **{share}** клиентов скорее ушли, чем активны (P(alive) < {threshold}).",
 "**Findings on lifetime value**": "**Выводы о пожизненной ценности**",
 "* The planted {planted} customers have a mean P(alive) of {own}; there is no other segment to compare.":
     "* У заложенных клиентов «{planted}» среднее P(alive) равно {own}; других сегментов для сравнения нет.",
 "* The model finds the planted {planted} customers: their mean P(alive) is {own}, against {other} or more in every other true segment.":
     "* Модель находит заложенных клиентов «{planted}»: их среднее P(alive) равно {own} против {other} и выше в каждом другом истинном сегменте.",
 "* The model does not single out the planted {planted} customers: their mean P(alive) is {own}, no lower than in {lower}.":
     "* Модель не выделяет заложенных клиентов «{planted}»: их среднее P(alive) равно {own} и не ниже, чем в {lower}.",
 "{n} share a customer id": "у {n} общий id клиента", "{n} share an e-mail address": "у {n} общий адрес e-mail",
 "{n} share a phone number": "у {n} общий номер телефона", "{n} share a social handle": "у {n} общий аккаунт в соцсетях",
 "{n} were joined by probability (splink)": "{n} объединены вероятностно (splink)",
 "{n} by a reviewer's decision": "{n} — по решению проверяющего",
 "None of the {n} contact records shares a key with another: every record stands alone.": "Ни одна из контактных записей ({n}) не имеет общего ключа с другой: каждая запись стоит отдельно.",
 "Of {n} contact records, {body}.": "Из {n} контактных записей: {body}.",
 "Counting every unidentified contact as a new customer gives {before} customers; after resolution there are {after} persons ({change} %). {multi} persons use two or more channels and {split} were split into several 'customers' before; {attributed} of {without} contacts without a customer id were attributed to a known customer.":
     "Если считать каждый неопознанный контакт новым клиентом, получается {before} клиентов; после склейки — {after} человек ({change}" + NB + "%). Пользуются двумя и более каналами: {multi}; до склейки были разбиты на нескольких «клиентов»: {split}; {attributed} из {without} контактов без id клиента приписаны известному клиенту.",
 "Against the true person ids, the deterministic rules are right about {d_precision} of the pairs they put together and find {d_recall} of the true pairs; adding probabilistic matching gives precision {precision} and recall {recall} (F1 {f1}, {pairs} true pairs). Contacts that carry only a name are attributed only when the name points clearly to one person; the others stay apart rather than risk merging two customers.":
     "По сравнению с истинными идентификаторами людей детерминированные правила верны для {d_precision} объединённых пар и находят {d_recall} истинных пар; с вероятностным сопоставлением точность {precision}, полнота {recall} (F1 {f1}, истинных пар: {pairs}). Контакты только с именем приписываются, лишь когда имя однозначно указывает на одного человека; остальные остаются отдельно, чтобы не склеить двух клиентов.",
 "No placeholder, shared or conflicting contact value was found: no e-mail or phone is used by records of different names or customer ids.":
     "Заглушек, общих или конфликтующих контактных значений не найдено: ни один e-mail или телефон не используется записями с разными именами или id клиентов.",
 ("{key}, {reason}: {n} value ({records} records)",):
     ("{key}, {reason}: {n} значение ({records} записей)", "{key}, {reason}: {n} значения ({records} записей)", "{key}, {reason}: {n} значений ({records} записей)"),
 "The guards held back {n} contact values used by {records} records: ": "Защитные правила задержали контактные значения ({n}), которые используются в записях ({records}): ",
 "Between thresholds {lo} and {hi} the number of persons moves from {p_lo} to {p_hi} ({change})":
     "При порогах от {lo} до {hi} число людей меняется с {p_lo} до {p_hi} ({change})",
 "; the NPS of any channel moves by at most {span} points, well inside its interval.": "; NPS любого канала сдвигается не больше чем на {span} п. — заметно внутри его интервала.",
 "; the NPS of any channel moves by at most {span} points ({channel}), more than the half-width of its interval: report the threshold with that figure.":
     "; NPS любого канала сдвигается не больше чем на {span} п. ({channel}) — больше половины ширины его интервала: указывайте порог вместе с этой цифрой.",
 "The unified profile has {n} persons; {multi} ({share}) contacted the company through two or more channels, on average {avg} channels each.":
     "В едином профиле {n} человек; {multi} ({share}) обращались в компанию через два и более канала, в среднем по {avg} канала.",
 "Identity resolution rarely merges different people": "Склейка профилей редко объединяет разных людей",
 "Identity resolution merges some different people: review the links": "Склейка профилей объединяет некоторых разных людей: проверьте связи",
 "How the customer count depends on the match threshold": "Как число клиентов зависит от порога сопоставления",
 "The channel NPS does not hinge on the match threshold": "NPS каналов не зависит от порога сопоставления",
 "The channel NPS depends on the match threshold": "NPS каналов зависит от порога сопоставления",
 "age cohort": "возрастная когорта", "greeting": "приветствие", "by name": "по имени", "sign off": "подпись",
 "slang": "сленг", "emoji": "эмодзи", "the customer mix": "состав клиентов",
 "Comparing the same kinds of customers ({covariates}), the gap is about the same ({gap} {unit}, {ci}) but no longer significant at this sample size: the customer mix does not explain it.":
     "При сравнении сопоставимых клиентов ({covariates}) разрыв почти тот же ({gap} {unit}, {ci}), но при таком объёме выборки уже незначим: состав клиентов его не объясняет.",
 "; no channel has enough answers at every threshold for its NPS to be compared (all are below the minimum base at some threshold).":
     "; ни в одном канале нет достаточного числа ответов при каждом пороге, чтобы сравнить NPS (при каком-то пороге все ниже минимальной базы).",
 ", most in {group} (the groups differ: chi-square {p})": ", больше всего — {group} (группы различаются: хи-квадрат, {p})",
 "{name} has the widest {label} gap, and not only because of who uses it": "{name}: самый большой разрыв по {label}, и дело не только в том, кто пользуется каналом",
 "{level} CI {low} to {high} (adjusted)": "{level}-й ДИ от {low} до {high} (скорректированный)",
 "OLS with HC3 robust errors on {covariates}; direct standardisation as a cross-check": "МНК с робастными ошибками HC3 по переменным: {covariates}; прямая стандартизация для перекрёстной проверки",
 "The same customers rate {channel} lower than their other channels": "Одни и те же клиенты оценивают канал «{channel}» ниже своих других каналов",
 "{channels} replies are off-brand": "{channels}: ответы не в стиле бренда",
 "{share} of customers use two or more channels": "{share} клиентов пользуются двумя и более каналами",
 "weighted NPS {level} CI {low} to {high}": "взвешенный NPS, {level}-й ДИ от {low} до {high}",
 "Customers overstate their {label}": "Клиенты завышают показатель «{label}»",
 "Stated {label} vs purchases": "Заявленный показатель «{label}» и покупки",
 "stated vs actual from purchase data; Wilson intervals; kappa with ASE (statsmodels)": "заявленное и фактическое по данным покупок; интервалы Уилсона; каппа с асимптотической ошибкой (statsmodels)",
 "{level} CI {low}–{high}": "{level}-й ДИ {low}–{high}",
 "AUC {level} CI {low}–{high}": "AUC, {level}-й ДИ {low}–{high}",
 "difference {level} CI {low} to {high}": "разница, {level}-й ДИ от {low} до {high}",
 "Part 2 — Is the experience the same in every channel?": "Часть 2 — одинаков ли опыт во всех каналах?",
 "{share} of the {n} people seen in the survey or service contacts use two or more channels": "{share} из {n} человек, замеченных в опросе или обращениях, пользуются двумя и более каналами",
 "No record was matched by probability (every record was joined by an exact key or stands alone), so the match threshold changes nothing here.":
     "Ни одна запись не сопоставлена вероятностно (все записи объединены по точному ключу или стоят отдельно), поэтому порог сопоставления здесь ничего не меняет.",
 "The same customers rate {channel} lower than their other channels on {metric}": "Одни и те же клиенты оценивают канал «{channel}» ниже своих других каналов по показателю {metric}",
 "No evidence that the same customers rate channels differently on {metric}": "Нет оснований считать, что одни и те же клиенты оценивают каналы по-разному по показателю {metric}",
}

# ---------------------------------------------------------------- figures (cxlab/plots/*.py)
RU.update({
 # values the analysis writes into the tables the figures draw (context "value")
 ("value", "customers"): "клиенты", ("value", "transactions"): "покупки", ("value", "survey_responses"): "анкеты",
 ("value", "interactions"): "обращения", ("value", "employee_survey"): "опрос сотрудников",
 ("value", "standard: detractors 0–6, promoters 9–10"): "стандарт: критики 0–6, промоутеры 9–10",
 ("value", "'below 6' read as 0–5 detractors"): "«ниже 6» понято как критики 0–5",
 ("value", "'8 and above' read as promoters"): "«8 и выше» понято как промоутеры",
 ("value", "both loose: detractors 0–5, promoters 8–10"): "обе границы смещены: критики 0–5, промоутеры 8–10",
 ("value", "'7 and below' read as detractors"): "«7 и ниже» понято как критики",
 ("value", "key strength"): "ключевая сила", ("value", "secondary strength"): "второстепенная сила",
 ("value", "low priority"): "низкий приоритет",
 ("value", "linked"): "связаны", ("value", "unlinked"): "не связаны", ("value", "customer_id"): "ID клиента",
 ("value", "no customer id, e-mail or phone given"): "нет ни ID клиента, ни e-mail, ни телефона",
 ("value", "customer id not found in customers or transactions"): "ID клиента нет ни в клиентах, ни в покупках",
 ("value", "only an e-mail or phone given, and there is no customers table to match it"):
     "есть только e-mail или телефон, а таблицы клиентов для сопоставления нет",
 ("value", "e-mail / phone not found among customers"): "e-mail / телефон не найден среди клиентов",
 ("value", "e-mail / phone shared by several customers"): "e-mail / телефон у нескольких клиентов",
 ("value", "e-mail / phone given but not a valid address or number"): "e-mail / телефон указан, но недействителен",
 ("value", "all"): "все", ("value", "stated"): "заявленная", ("value", "revealed"): "фактическая",
 ("value", "handle"): "аккаунт", ("value", "probability"): "вероятность", ("value", "review"): "ручная проверка",
 ("value", "contact"): "обращение", ("value", "survey"): "анкета", ("value", "purchase"): "покупка",
 ("value", "signed up"): "регистрация", ("value", "crm"): "CRM", ("value", "unknown"): "неизвестно",
 ("value", "CSAT (mean, 1–5)"): "CSAT (среднее, 1–5)", ("value", "CSAT top-2-box (4–5)"): "CSAT top-2-box (4–5)",
 ("value", "CES (mean, 1–7)"): "CES (среднее, 1–7)", ("value", "CES top-2-box (6–7)"): "CES top-2-box (6–7)",
 ("value", "Contact CSAT (mean, 1–5)"): "CSAT обращения (среднее, 1–5)",
 ("value", "First-contact resolution"): "Решение с первого обращения", ("value", "Complaint rate"): "Доля жалоб",
 ("value", "Resolution rate (cases resolved at any contact)"): "Доля решённых вопросов (при любом обращении)",
 ("value", "Repeat-contact rate"): "Доля повторных обращений",
 ("value", "Wait (median, seconds)"): "Ожидание (медиана, секунды)",
 ("value", "Handle time (median, seconds)"): "Время обработки (медиана, секунды)",
 ("value", "greeting"): "приветствие", ("value", "formal_you"): "обращение на «Вы»",
 ("value", "informal_you"): "обращение на «ты»", ("value", "politeness"): "вежливость", ("value", "apology"): "извинение",
 ("value", "sign_off"): "подпись", ("value", "slang"): "сленг", ("value", "by_name"): "обращение по имени",
 ("value", "emoji"): "эмодзи", ("value", "emoticon"): "смайлик", ("value", "exclaims"): "«!!»",
 # channels
 "scale points": "п. шкалы", "tolerance": "допуск", "not tested (n = {n})": "не проверялся (n = {n})",
 "gap to the rest": "разрыв с остальными", "gap to the rest of the company ({unit})": "разрыв с остальной компанией ({unit})",
 "raw": "исходный", "adjusted for mix (regression, HC3)": "с поправкой на состав клиентов (регрессия, HC3)",
 "direct standardisation": "прямая стандартизация", "planted (demo truth)": "заложено в демо-данные",
 "pp": "п. п.", "gap in SD (blue better, red worse)": "разрыв в SD (синий — лучше, красный — хуже)",
 "Gap to the rest of the company (⚑ significant and material)":
     "Разрыв с остальной компанией (⚑ значимый и существенный)",
 "{level}% limits": "границы {level}" + NB + "%", "answers (n, log scale)": "ответы (n, логарифмическая шкала)",
 "value": "значение",
 "Tone of outgoing messages (% of messages; divergence, ⚑ off-brand)":
     "Тон исходящих сообщений (% сообщений; отклонение, ⚑ вне стиля бренда)",
 # CLV
 "CLV": "CLV", "P(alive)": "P(alive)", "expected purchases": "ожидаемые покупки",
 "expected spend per purchase": "ожидаемая сумма покупки", "at-risk threshold {threshold}": "порог риска {threshold}",
 "P(alive) at the end of the observation period": "P(alive) на конец периода наблюдения",
 "How likely are customers still active?": "Насколько вероятно, что клиенты ещё активны?", "median": "медиана",
 "Customer lifetime value": "Пожизненная ценность клиента (CLV)", "actual": "факт", "model (BG/NBD)": "модель (BG/NBD)",
 "end of calibration": "конец периода калибровки", "date": "дата",
 "cumulative repeat purchases": "повторные покупки нарастающим итогом", "repeat purchases": "повторные покупки",
 "Tracking: actual vs predicted repeat purchases": "Факт и прогноз повторных покупок во времени",
 "actual (95% CI)": "факт (95" + NB + "%-й ДИ)", "predicted": "прогноз",
 "repeat purchases in the calibration period": "повторные покупки в периоде калибровки",
 "mean purchases in the holdout": "среднее число покупок в отложенном периоде",
 "Holdout check: conditional expectations": "Проверка на отложенном периоде: условные ожидания", "model": "модель",
 "BG/NBD fit: purchase frequency": "Согласие модели BG/NBD: частота покупок", "observed": "наблюдаемое",
 "Gamma-Gamma model": "модель Gamma-Gamma", "mean spend per repeat purchase": "средняя сумма повторной покупки",
 "density": "плотность", "Gamma-Gamma fit: spend": "Согласие модели Gamma-Gamma: суммы покупок",
 ("Top {n} customer: {measure} with interval",):
     ("{n} лучший клиент: {measure} с интервалом", "{n} лучших клиента: {measure} с интервалом",
      "{n} лучших клиентов: {measure} с интервалом"),
 "customer": "клиент",
 # identity
 "records joined to at least one other record": "записи, объединённые хотя бы с одной другой записью",
 "How records were joined: shared keys first, probability last":
     "Как объединялись записи: сначала общие ключи, в конце — вероятностное сопоставление",
 "records per person": "записей на человека", "persons (log scale)": "люди (логарифмическая шкала)",
 "Cluster sizes: persons by number of records": "Размеры кластеров: люди по числу записей",
 "pairs scored": "оценённые пары", "linked": "связаны", "ambiguous (a rival as good)": "неоднозначные (есть равный соперник)",
 "match probability (splink)": "вероятность совпадения (splink)", "pairs": "пары",
 "Probabilistic candidates by band": "Кандидаты вероятностного сопоставления по интервалам вероятности",
 "customers before\nresolution": "клиенты до\nобъединения", "persons after\nresolution": "люди после\nобъединения",
 "persons seen in\n2+ channels": "люди в\n2+ каналах",
 "What identity resolution changes in the customer count": "Как объединение профилей меняет число клиентов",
 "threshold used ({threshold})": "выбранный порог ({threshold})",
 "match threshold (probability)": "порог сопоставления (вероятность)", "persons": "люди",
 "Customer count vs match threshold": "Число клиентов в зависимости от порога сопоставления",
 "NPS (each person once per channel)": "NPS (каждый человек один раз в канале)",
 "NPS by channel vs match threshold": "NPS по каналам в зависимости от порога сопоставления",
 "One person across channels (pseudonymised)": "Один человек во всех каналах (псевдонимизировано)",
 # NPS
 "all": "все", "(missing)": "(нет значения)", "suppressed (n = {n})": "скрыто (n = {n})",
 "NPS by group with confidence intervals": "NPS по группам с доверительными интервалами",
 "confidence interval": "доверительный интервал", "% of responses": "% ответов",
 "Detractors, passives and promoters": "Критики, нейтралы и промоутеры",
 "significant fall": "значимое снижение", "significant rise": "значимый рост",
 "NPS over time (band: confidence interval)": "NPS во времени (полоса — доверительный интервал)",
 "performance (mean rating, 0–100)": "оценка (средняя, 0–100)",
 "importance (% of explained variance)": "важность (% объяснённой дисперсии)",
 "Key drivers: importance versus performance": "Ключевые факторы: важность и оценка",
 "% of commenters mentioning the theme": "% комментаторов, упомянувших тему",
 "Themes in comments: detractors versus promoters (* significant)":
     "Темы комментариев: критики и промоутеры (* — значимо)",
 "How the NPS moves when the cut-offs are misread": "Как меняется NPS при неверном прочтении границ групп",
 # overview, ratings
 "month": "месяц", "rows per month": "строк в месяц", "Activity over time": "Активность во времени",
 "share of rows": "доля строк", "Where customers meet the company": "Где клиенты встречаются с компанией",
 "mean on the {low}–{high} scale": "среднее по шкале {low}–{high}",
 "% in the top two points": "% в двух верхних баллах", "Mean rating by group": "Средняя оценка по группам",
 "Top-2-box share by group": "Доля top-2-box по группам",
 # segments
 "share of customers": "доля клиентов", "mean revenue": "средняя выручка", "frequency score": "балл частоты",
 "monetary score": "балл суммы", "recency score (5 = most recent)": "балл давности (5 = самые недавние)",
 "RFM grid: {value}": "Сетка RFM: {value}", "revenue": "выручка", "share of total": "доля от общего",
 "Segments: share of customers and of revenue": "Сегменты: доля клиентов и доля выручки",
 "equal revenue per customer": "равная выручка на клиента", "Lorenz curve": "кривая Лоренца",
 "customers, from lowest to highest revenue": "клиенты, от наименьшей выручки к наибольшей",
 "cumulative share of revenue": "накопленная доля выручки", "Revenue concentration": "Концентрация выручки",
 "Revenue concentration (Gini {gini})": "Концентрация выручки (Джини {gini})",
 "Segment profiles (index, 100 = average)": "Профили сегментов (индекс, 100 = среднее)",
 "segment {segment}": "сегмент {segment}", "principal component {k}": "главная компонента {k}",
 "Customers by segment": "Клиенты по сегментам", "segment in the later period": "сегмент в более позднем периоде",
 "segment in the earlier period": "сегмент в более раннем периоде",
 "Segment migration (share of the row)": "Переходы между сегментами (доля строки)",
 "Segment migration": "Переходы между сегментами",
 # say-do
 "How survey responses were linked to customers": "Как анкеты связаны с клиентами",
 "respondents, unweighted": "респонденты без весов", "respondents, weighted": "респонденты с весами",
 "standardised mean difference vs the customer base": "стандартизованная разница средних с клиентской базой",
 "Are respondents like the customer base?": "Похожи ли респонденты на клиентскую базу?",
 "actual ({what})": "факт ({what})", "stated": "заявлено", "stated ({what})": "заявлено ({what})",
 "Stated vs actual (row %: of those who said it)": "Заявленное и фактическое (% по строке — от заявивших)",
 "over-claim (said more)": "завышение (заявили больше)", "under-claim (said less)": "занижение (заявили меньше)",
 "agree": "совпадает", "% of respondents": "% респондентов", "Direction of the gap": "Направление расхождения",
 "bias": "смещение", "lower limit of agreement": "нижняя граница согласия",
 "upper limit of agreement": "верхняя граница согласия", "mean of stated and actual": "среднее заявленного и фактического",
 "stated − actual": "заявлено − факт", "Bland–Altman: how far stated is from actual":
     "Бланд — Альтман: насколько заявленное отличается от фактического",
 "perfect agreement": "полное совпадение", "observed (interval)": "наблюдаемое (интервал)",
 "predicted probability": "прогнозная вероятность", "observed share": "наблюдаемая доля", "Calibration": "Калибровка",
 "bought again (%)": "купили снова (%)", "What each NPS class did next": "Что потом сделала каждая группа NPS",
 "drives likelihood to recommend (β, SD units)": "влияет на готовность рекомендовать (β, в SD)",
 "drives actual repurchase (log-odds per SD)": "влияет на фактическую повторную покупку (лог-шансы на 1 SD)",
 "What drives what they say vs what they do": "Что влияет на слова клиентов и что — на их поступки",
 "purchase frequency": "частота покупок", "favourite category": "любимая категория",
 "offer the stated favourite": "предложить заявленную любимую категорию",
 "offer the revealed favourite": "предложить фактическую любимую категорию",
 "offer the {strategy} favourite": "предложить любимую категорию ({strategy})",
 "bought it in the test window (%)": "купили её в тестовом окне (%)", "Offer back-test": "Проверка предложений на истории",
})
