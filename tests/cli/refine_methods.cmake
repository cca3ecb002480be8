# maskforge-cli refine's methods and evidence: auto refuses without trusted masks (naming what is missing),
# scores every method per class against --truth, never applies one below the boxes; bad boxes name their
# file and change nothing; --dry-run says what would happen.
cmake_policy(SET CMP0054 NEW)
include(${CMAKE_CURRENT_LIST_DIR}/run.cmake)

include(${CMAKE_CURRENT_LIST_DIR}/snapshot.cmake)
function(expect pattern what)
  if(NOT OUT MATCHES "${pattern}")
    message(FATAL_ERROR "${what}: expected /${pattern}/ in:\n${OUT}")
  endif()
endfunction()

# A project of boxes alone (every image coarse, none reviewed) and the sample's true masks beside it.
set(S ${WORK}/sample)
run(0 make-sample --out ${S} --count 10 --size 64 --seed 5 --workflow)
run(0 import --format yolo --input ${S}/boxes --out ${WORK}/p)
set(P ${WORK}/p)
snapshot(start ${P})

# auto without evidence: the dry run says it would refuse; the real run refuses, naming what is missing.
run(0 refine --project ${P} --dry-run)
expect("would refuse" "auto --dry-run without evidence")
expect("dry run: nothing written" "auto --dry-run")
expect("then each box's object tidied into one piece where that scores better" "auto --dry-run")
run(1 refine --project ${P})
expect("maskforge.json: --method auto" "auto without evidence")
expect("no reviewed image" "auto without evidence")
expect("--truth DIR" "auto without evidence")
expect_unchanged("${start}" ${P} "auto without evidence")

# --truth that is not a folder: named, nothing written.
run(2 refine --project ${P} --truth ${WORK}/no-such-folder)
expect("no-such-folder" "a missing --truth")
expect_unchanged("${start}" ${P} "a missing --truth")

# The classifier, scored against --truth: a per-class table, proposals queued as "classifier".
file(COPY ${P}/ DESTINATION ${WORK}/cls)
run(0 refine --project ${WORK}/cls --method classifier --truth ${S}/truth)
expect("choosing by [0-9]+ trusted mask" "classifier with --truth")
expect("boxes +classifier" "classifier with --truth")
expect("classifier: [0-9]+ image\\(s\\) in" "classifier with --truth")
if(OUT MATCHES "queued")
  file(READ ${WORK}/cls/review.json queue)
  string(JSON origin GET "${queue}" entries 0 origin)
  if(NOT origin STREQUAL "classifier")
    message(FATAL_ERROR "classifier proposals should be named classifier:\n${queue}")
  endif()
endif()

# auto with --truth: each class says what it takes and why; --accept writes only what was chosen.
file(COPY ${P}/ DESTINATION ${WORK}/auto)
run(0 refine --project ${WORK}/auto --truth ${S}/truth --accept)
expect("auto: [a-z_0-9 ]+ \\(class [0-9]+\\) takes (boxes|grabcut|classifier|contrast|texture|vote|union|learned) \\(boxes [01]\\.[0-9]+" "auto with --truth")
# ...choosing on a share of the --truth masks and scoring the labels as chosen on the rest (held out).
expect("choosing by [0-9]+ trusted mask\\(s\\) \\(a share of 0.10 of the --truth masks" "auto with --truth")
expect("held out: [0-9]+ trusted mask\\(s\\) that did not choose" "auto with --truth")
expect("tidy \\(each box's object as one piece[^\n]*mean IoU [01]\\.[0-9]+ -> [01]\\.[0-9]+ on the [0-9]+ trusted mask\\(s\\) that chose[^\n]*: (applied|not applied)" "auto's tidy line")
expect("boxes +grabcut +classifier +contrast +texture +vote +union +learned +auto" "auto's held-out table")
expect("learned: from [0-9]+ trusted mask\\(s\\); object probability threshold per class" "auto with --truth")

# learned without a trusted mask to learn from: it says so, and nothing is written.
run(1 refine --project ${P} --method learned --accept)
expect("the learned method could not learn from the trusted masks: no trusted mask" "learned without evidence")
expect_unchanged("${start}" ${P} "learned without evidence")

# --choose-share 1: every --truth mask chooses, said to be an upper bound, nothing held out.
file(COPY ${P}/ DESTINATION ${WORK}/upper)
run(0 refine --project ${WORK}/upper --truth ${S}/truth --choose-share 1 --method contrast)
expect("no image held out, the scores are an upper bound" "--choose-share 1")
expect("contrast: [0-9]+ image\\(s\\) in" "--method contrast")
if(OUT MATCHES "held out:")
  message(FATAL_ERROR "--choose-share 1 holds nothing out:\n${OUT}")
endif()

# A box of a class the project does not have: named with its file, nothing written.
file(COPY ${P}/ DESTINATION ${WORK}/badclass)
file(GLOB boxFiles ${WORK}/badclass/boxes/*.txt)
list(GET boxFiles 0 victim)
file(APPEND ${victim} "40 0.5 0.5 0.2 0.2\n")
snapshot(badStart ${WORK}/badclass)
run(1 refine --project ${WORK}/badclass --method grabcut --accept)
get_filename_component(victimName ${victim} NAME)
expect("${victimName}: box [0-9]+ has class 41, which the project" "a box of an unknown class")
expect("nothing written" "a box of an unknown class")
expect_unchanged("${badStart}" ${WORK}/badclass "a box of an unknown class")

# A box covering the whole image and one outside it: said with the file's name, refinement goes on.
file(COPY ${P}/ DESTINATION ${WORK}/odd)
file(GLOB boxFiles ${WORK}/odd/boxes/*.txt)
list(GET boxFiles 0 victim)
file(APPEND ${victim} "0 0.5 0.5 1.0 1.0\n")
run(0 refine --project ${WORK}/odd --method classifier --dry-run)
get_filename_component(victimName ${victim} NAME)
expect("${victimName}: box [0-9]+ covers the whole image" "a whole-image box")
