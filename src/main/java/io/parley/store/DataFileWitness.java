package io.parley.store;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * A small file beside the embedded store's database that says how the store left it: which file
 * (its identity in the file system), whether it was closed cleanly (then also its size and time),
 * and whether every commit was synced. From it the store tells, when it opens, whether it may have
 * lost ids it handed out: after a crash while the operating system was left to sync, when the
 * database is not the file it left (restored from a backup, copied in), or when there is no witness
 * at all beside an existing database.
 */
final class DataFileWitness {

  private static final String FILE = "file";
  private static final String CLEAN = "clean";
  private static final String SIZE = "size";
  private static final String MODIFIED = "modified";
  private static final String SYNCED = "synced";

  private final Path witness;
  private final Path database;

  DataFileWitness(Path dataDir, Path database) {
    this.witness = dataDir.resolve("parley.state");
    this.database = database;
  }

  /**
   * Why ids handed out from this database may be missing from it now, or empty when they cannot be
   * (it is the file the store left, and nothing written was lost); call before opening it.
   */
  Optional<String> doubt() {
    if (!Files.exists(database)) {
      return Optional.empty();
    }
    Properties left = new Properties();
    try (Reader in = Files.newBufferedReader(witness, StandardCharsets.UTF_8)) {
      left.load(in);
    } catch (java.nio.file.NoSuchFileException e) {
      return Optional.of(
          "has no record of how it was left"
              + " (a folder restored from a backup, or from an older version)");
    } catch (IOException e) {
      return Optional.of("has an unreadable record of how it was left (" + e + ")");
    }
    BasicFileAttributes now = attributes();
    if (!Objects.equals(left.getProperty(FILE), identity(now))) {
      return Optional.of(
          "holds a database that is not the file it left (restored from a backup, or copied in)");
    }
    if (Boolean.parseBoolean(left.getProperty(CLEAN))) {
      boolean unchanged =
          Objects.equals(left.getProperty(SIZE), Long.toString(now.size()))
              && Objects.equals(left.getProperty(MODIFIED), now.lastModifiedTime().toString());
      return unchanged
          ? Optional.empty()
          : Optional.of("holds a database changed since it was closed (restored from a backup?)");
    }
    if (!Boolean.parseBoolean(left.getProperty(SYNCED))) {
      return Optional.of(
          "was not closed cleanly, and its commits were left to the operating system to sync");
    }
    return Optional.empty(); // a crash with every commit synced: nothing acknowledged is missing
  }

  /**
   * Records the database as opened: if the process ends without {@link #closed}, that was a crash.
   */
  void opened(boolean synced) {
    Properties state = new Properties();
    state.setProperty(FILE, identity(attributes()));
    state.setProperty(CLEAN, "false");
    state.setProperty(SYNCED, Boolean.toString(synced));
    write(state);
  }

  /** Records the database as closed cleanly, with its size and time as left. */
  void closed(boolean synced) {
    BasicFileAttributes now = attributes();
    Properties state = new Properties();
    state.setProperty(FILE, identity(now));
    state.setProperty(CLEAN, "true");
    state.setProperty(SIZE, Long.toString(now.size()));
    state.setProperty(MODIFIED, now.lastModifiedTime().toString());
    state.setProperty(SYNCED, Boolean.toString(synced));
    write(state);
  }

  private BasicFileAttributes attributes() {
    try {
      return Files.readAttributes(database, BasicFileAttributes.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The file's identity (device and inode where the file system has them), which a copy does not
   * keep.
   */
  private static String identity(BasicFileAttributes attributes) {
    Object key = attributes.fileKey();
    return key != null ? key.toString() : "created " + attributes.creationTime();
  }

  /** Written to a temporary file, synced, then moved over the old record in one step. */
  private void write(Properties state) {
    Path next = witness.resolveSibling(witness.getFileName() + ".next");
    try {
      try (Writer out = Files.newBufferedWriter(next, StandardCharsets.UTF_8)) {
        state.store(out, "How Parley left its store; see DataFileWitness");
      }
      try (FileChannel channel = FileChannel.open(next, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      Files.move(
          next, witness, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record the state of the store in " + witness, e);
    }
  }
}
