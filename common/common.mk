# common/: what several programs share, tested on the host on its own.
UNIT_TESTS += test_common
test_common_SRCS := tests/unit/test_common.c common/duration.c common/json.c
