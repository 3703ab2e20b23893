# Sourced by bench/run.sh and bench/restart.sh: every benchmark client comes from 127.0.0.1, so
# the per-client limits are raised; each server gets a fresh data folder (PARLEY_DATA_DIR).
export PARLEY_LIMIT_STREAMS_PER_CLIENT=1000000 PARLEY_LIMIT_STREAMS_PER_NODE=1000000
export PARLEY_LIMIT_POSTS_PER_SECOND=1000000 PARLEY_LIMIT_POSTS_BURST=1000000
export PARLEY_LIMIT_STREAM_OPENS_PER_SECOND=1000000 PARLEY_LIMIT_STREAM_OPENS_BURST=1000000
PARLEY_DATA_DIR="$(mktemp -d)"
export PARLEY_DATA_DIR
