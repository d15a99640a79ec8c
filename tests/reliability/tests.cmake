# Reliability (issue 9): signals and atomic output, a full disk, the judge
# fault matrix and API-key secrecy. Included by tests/CMakeLists.txt (section 4).
# Each script prints one 'ok -' / 'FAIL -' line per check and exits 1 on any failure.
set(reliability_dir ${CMAKE_CURRENT_SOURCE_DIR}/reliability)
set(reliability_bin $<TARGET_FILE_DIR:csv2jsonl>)
set(reliability_server $<TARGET_FILE:judge_server>)

# SIGINT/SIGTERM mid-write: no partial or temp file (--cache entries included),
# old outputs untouched (~8 s).
add_test(NAME reliability/signals
         COMMAND ${Python3_EXECUTABLE} ${reliability_dir}/signals.py --bin ${reliability_bin}
                 --judge-server ${reliability_server})

# Standard output, -o and every side file on /dev/full: exit 1, 'write error',
# no -o file when a side file fails (~5 s).
add_test(NAME reliability/full-disk
         COMMAND ${Python3_EXECUTABLE} ${reliability_dir}/full_disk.py --bin ${reliability_bin})

# duel-judge against every judge_server fault; the count table goes to
# tests/reliability/judge-faults.txt in the build folder (~6 s).
add_test(NAME reliability/judge-faults
         COMMAND ${Python3_EXECUTABLE} ${reliability_dir}/judge_faults.py --bin ${reliability_bin}
                 --judge-server ${reliability_server}
                 --table ${CMAKE_CURRENT_BINARY_DIR}/reliability/judge-faults.txt)

# The API key through every failure path: in no output, cache file or message (~5 s).
add_test(NAME reliability/secrets
         COMMAND ${Python3_EXECUTABLE} ${reliability_dir}/secret_leaks.py --bin ${reliability_bin}
                 --judge-server ${reliability_server})

# A signal in a tool's first milliseconds (while it creates its temp files),
# hundreds of times: no temp file is ever left (~15 s).
add_test(NAME reliability/early-kill
         COMMAND ${Python3_EXECUTABLE} ${reliability_dir}/early_kill.py --bin ${reliability_bin} --runs 80)

# Output sets: a full disk on the -o file or on any side file, options in
# either order: exit 1, and no file of the set (~5 s).
add_test(NAME reliability/output-sets
         COMMAND ${Python3_EXECUTABLE} ${reliability_dir}/output_sets.py --bin ${reliability_bin})

set_tests_properties(reliability/signals reliability/full-disk reliability/judge-faults reliability/secrets
                     reliability/early-kill reliability/output-sets PROPERTIES TIMEOUT 180)
