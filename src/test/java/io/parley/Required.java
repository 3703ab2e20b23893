package io.parley;

import org.junit.jupiter.api.Assumptions;

/**
 * What a test does when a part it needs from the machine is missing: skips with a loud notice, or,
 * under {@code CI=true}, fails, because CI installs every such part and must run every test.
 */
public final class Required {

  private Required() {}

  /**
   * Ends the test for want of a part.
   *
   * @param tests which tests cannot run, for the notice ("the page's script checks")
   * @param missing what is missing and how to get it
   */
  public static void missing(String tests, String missing) {
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new AssertionError(
          missing + "; with CI=true " + tests + " must run: .ci/run installs what they need");
    }
    System.err.println();
    System.err.println("*".repeat(78));
    System.err.println("*** SKIPPING " + tests + ": " + missing);
    System.err.println("*".repeat(78));
    System.err.println();
    Assumptions.abort(missing);
  }
}
