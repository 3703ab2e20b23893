package io.parley.chat;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * A message as a client posts it, from JSON or from a form. The text's length limit is
 * configurable, so {@link MessageRules} checks it beside these constraints.
 */
public record PostMessage(
    @NotBlank(message = "must not be empty")
        @Size(max = MessageRules.AUTHOR_MAX_LENGTH, message = "must be at most {max} characters")
        @Pattern(
            regexp = "[^\\p{Cntrl}\\x80-\\x9F]*",
            message = "must not contain control characters")
        String author,
    @NotBlank(message = "must not be empty")
        @Pattern(
            regexp = "[^\\x00-\\x08\\x0B-\\x1F\\x7F-\\x9F]*",
            message = "must not contain control characters other than newline and tab")
        String text) {

  /**
   * The author as {@link Names} stores names; browsers send a textarea's line breaks as CRLF, the
   * stored text has LF only.
   */
  public PostMessage normalized() {
    return new PostMessage(
        author == null ? null : Names.normalized(author),
        text == null ? null : text.replace("\r\n", "\n"));
  }
}
