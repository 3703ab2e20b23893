package io.parley.chat;

import io.parley.config.ParleyConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Checks a posted message: the Bean Validation constraints of {@link PostMessage} plus the
 * configured text length.
 */
@ApplicationScoped
public class MessageRules {

  public static final int AUTHOR_MAX_LENGTH = 32;

  private final ValidatorFactory validation;
  private final int maxTextLength;

  /**
   * Integrations' and moderators' names, as their confusable skeletons: people may not use them nor
   * a look-alike.
   */
  private final Set<String> reservedNames;

  @Inject
  public MessageRules(ParleyConfig config) {
    this.validation = Validation.buildDefaultValidatorFactory();
    this.maxTextLength = config == null ? 0 : config.messageMaxLength();
    this.reservedNames =
        config == null
            ? Set.of()
            : Stream.concat(
                    config.tokens().keySet().stream(),
                    config.moderation().moderators().keySet().stream())
                .map(Names::skeleton)
                .collect(Collectors.toUnmodifiableSet());
  }

  protected MessageRules() {
    this(null);
  }

  /**
   * Throws {@link InvalidInputException} listing every broken rule; returns quietly when all hold.
   */
  public void check(PostMessage message) {
    if (message == null) {
      throw new InvalidInputException("body", "a message needs an author and a text");
    }
    List<FieldError> errors = new ArrayList<>();
    for (ConstraintViolation<PostMessage> violation : validation.getValidator().validate(message)) {
      errors.add(
          new FieldError(
              violation.getPropertyPath().toString(),
              violation.getMessage(),
              code(violation.getConstraintDescriptor().getAnnotation())));
    }
    if (message.author() != null && Names.hasInvisibleOrUnassigned(message.author())) {
      errors.add(
          new FieldError(
              "author",
              "must not contain invisible, private-use or unassigned characters",
              "invisible-characters"));
    }
    String text = message.text();
    if (text != null && text.codePointCount(0, text.length()) > maxTextLength) {
      errors.add(
          new FieldError("text", "must be at most " + maxTextLength + " characters", "too-long"));
    }
    if (!errors.isEmpty()) {
      errors.sort(Comparator.comparing(FieldError::field).thenComparing(FieldError::message));
      throw new InvalidInputException(errors);
    }
  }

  /** The code of a broken constraint of {@link PostMessage}. */
  private static String code(Annotation constraint) {
    if (constraint instanceof NotBlank) {
      return "required";
    }
    if (constraint instanceof Size) {
      return "too-long";
    }
    if (constraint instanceof Pattern) {
      return "control-characters";
    }
    return FieldError.INVALID;
  }

  /**
   * A nick given on a stream, normalised as authors are; it follows the author rules, and is not an
   * integration's name.
   */
  public String checkNick(String nick) {
    String normalized = checkNickShape(nick);
    checkNotReserved(normalized);
    return normalized;
  }

  /** A nick normalised as authors are, following the author rules; it may be a reserved name. */
  public String checkNickShape(String nick) {
    String normalized = Names.normalized(nick);
    try {
      check(new PostMessage(normalized, "-"));
    } catch (InvalidInputException e) {
      throw new InvalidInputException("nick", e.errors().get(0).message());
    }
    return normalized;
  }

  /**
   * Throws {@link ReservedNameException} for an integration's name or a look-alike of it, in any
   * letter case.
   */
  public void checkNotReserved(String name) {
    if (reservedNames.contains(Names.skeleton(name))) {
      throw new ReservedNameException(name);
    }
  }

  @PreDestroy
  void close() {
    validation.close();
  }
}
