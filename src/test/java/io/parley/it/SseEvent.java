package io.parley.it;

/**
 * One event as it came over the wire; a comment line ({@code : ping}) is an event of type
 * "comment".
 */
record SseEvent(String type, String id, String data, Long retry) {

  boolean is(String expected) {
    return expected.equals(type);
  }
}
