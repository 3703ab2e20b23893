package io.parley.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.Await;
import io.parley.core.Appended;
import io.parley.core.Message;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatchedAppendsTest {

  private static final Instant AT = Instant.parse("2026-11-22T01:02:03.456Z");

  private final ExecutorService callers = Executors.newCachedThreadPool();

  /** Every batch written, in the order written; only the writer of a turn adds to it. */
  private final List<List<String>> batches = new ArrayList<>();

  private final CountDownLatch firstWriteHeld = new CountDownLatch(1);
  private final CountDownLatch releaseFirstWrite = new CountDownLatch(1);

  @AfterEach
  void stop() {
    callers.shutdownNow();
  }

  private static BatchedAppends.Append append(String text) {
    return BatchedAppends.Append.message("lobby", "alice", text, AT, false, null);
  }

  private List<Appended> store(List<BatchedAppends.Append> batch) {
    batches.add(batch.stream().map(BatchedAppends.Append::text).toList());
    return batch.stream()
        .map(
            a ->
                new Appended(
                    Message.posted(
                        "id-" + a.text(),
                        a.room(),
                        a.author(),
                        a.text(),
                        a.sentAt(),
                        a.integration()),
                    false))
        .toList();
  }

  @Test
  void appendsThatArriveDuringAWriteAreWrittenTogetherInTheNextBatch() throws Exception {
    BatchedAppends appends = holdingTheFirstWrite(null);
    Future<Message> first = callers.submit(() -> appends.append(append("first")).message());
    assertTrue(firstWriteHeld.await(10, TimeUnit.SECONDS));
    List<Future<Message>> others = queueBehindTheHeldWrite(appends, 20);
    releaseFirstWrite.countDown();

    assertEquals("id-first", first.get(10, TimeUnit.SECONDS).id());
    for (int i = 0; i < 20; i++) {
      assertEquals(
          "id-other " + i,
          others.get(i).get(10, TimeUnit.SECONDS).id(),
          "each caller gets its own message");
    }
    assertEquals(List.of("first"), batches.get(0));
    assertEquals(2, batches.size(), "the 20 that waited went in one batch: " + batches);
    assertEquals(20, Set.copyOf(batches.get(1)).size());
  }

  @Test
  void aBatchIsBoundedAndTheRestGoInTheNext() throws Exception {
    BatchedAppends appends = holdingTheFirstWrite(null);
    Future<Message> first = callers.submit(() -> appends.append(append("first")).message());
    assertTrue(firstWriteHeld.await(10, TimeUnit.SECONDS));
    List<Future<Message>> others = queueBehindTheHeldWrite(appends, BatchedAppends.MAX_BATCH + 10);
    releaseFirstWrite.countDown();
    first.get(10, TimeUnit.SECONDS);
    for (Future<Message> other : others) {
      other.get(10, TimeUnit.SECONDS);
    }
    List<Integer> sizes = batches.stream().map(List::size).collect(Collectors.toList());
    assertEquals(List.of(1, BatchedAppends.MAX_BATCH, 10), sizes);
  }

  @Test
  void aFailedBatchFailsEachOfItsAppendsAndLaterAppendsAreWritten() throws Exception {
    assertAFailedWriteFailsItsBatchAndTheTurnGoesOn(
        new StoreException("disk full", null), StoreException.class);
  }

  @Test
  void anErrorInAWriteGoesUpItsThreadAndTheOthersGetAnAnswerNotAWaitForEver() throws Exception {
    assertAFailedWriteFailsItsBatchAndTheTurnGoesOn(
        new AssertionError("a bug"), AssertionError.class);
  }

  private void assertAFailedWriteFailsItsBatchAndTheTurnGoesOn(
      Throwable failure, Class<?> seenByItsCaller) throws Exception {
    BatchedAppends appends = holdingTheFirstWrite(failure);
    Future<Message> first = callers.submit(() -> appends.append(append("first")).message());
    assertTrue(firstWriteHeld.await(10, TimeUnit.SECONDS));
    Future<Message> second = callers.submit(() -> appends.append(append("second")).message());
    Await.until("1 appends waiting", Duration.ofSeconds(10), () -> appends.waiting() == 1);
    releaseFirstWrite.countDown();

    Exception failed = assertThrows(Exception.class, () -> first.get(10, TimeUnit.SECONDS));
    assertTrue(seenByItsCaller.isInstance(failed.getCause()), failed.toString());
    assertEquals(
        "id-second", second.get(10, TimeUnit.SECONDS).id(), "the turn went on to the next batch");
    assertEquals("id-third", appends.append(append("third")).message().id());
  }

  /**
   * Appends "other 0", "other 1", ... from {@code count} callers, once all wait behind the held
   * write.
   */
  private List<Future<Message>> queueBehindTheHeldWrite(BatchedAppends appends, int count) {
    List<Future<Message>> others = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String text = "other " + i;
      others.add(callers.submit(() -> appends.append(append(text)).message()));
    }
    Await.until(
        count + " appends waiting", Duration.ofSeconds(10), () -> appends.waiting() == count);
    return others;
  }

  /**
   * Appends whose first write waits for {@link #releaseFirstWrite}, then throws {@code failure} if
   * not null.
   */
  private BatchedAppends holdingTheFirstWrite(Throwable failure) {
    return new BatchedAppends(
        batch -> {
          if (batches.isEmpty()) {
            firstWriteHeld.countDown();
            await(releaseFirstWrite);
            if (failure != null) {
              batches.add(List.of("failed"));
              if (failure instanceof Error error) {
                throw error;
              }
              throw (RuntimeException) failure;
            }
          }
          return store(batch);
        });
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new AssertionError("not released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
