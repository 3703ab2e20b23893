package io.parley.stream;

import io.parley.core.MessageLog;
import io.parley.core.Presence;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What a room needs from its owner: the log, presence, the limits, the scheduler, and the threads
 * that fan events out: a room's rounds run on {@code fanOut}, and a round to many streams is split
 * in up to {@code parts} parts, the others handed to {@code helpers}; the pages of catch-ups after
 * the first are read on {@code catchUpReaders}; sinks that are not Parley's are written on {@code
 * foreignWriters}; each room keeps its newest {@code recentSize} messages (at most {@code
 * recentBytes} of text) in memory.
 */
record RoomSetup(
    MessageLog log,
    Presence presence,
    int replaySize,
    int recentSize,
    int recentBytes,
    int maxPending,
    int maxPendingBytes,
    StreamCounter counter,
    StreamObserver observer,
    ScheduledExecutorService scheduler,
    Executor foreignWriters,
    Executor fanOut,
    Executor helpers,
    int parts,
    Executor catchUpReaders) {}
