package io.parley.chat;

import com.ibm.icu.lang.UCharacter;
import com.ibm.icu.lang.UCharacterCategory;
import com.ibm.icu.text.Normalizer2;
import com.ibm.icu.text.SpoofChecker;

/**
 * People's names (authors and nicks) as people read them: normalised (NFKC, so fullwidth and other
 * compatibility forms become the plain letters they show as), refused when they hold what nobody
 * sees (format characters such as zero-width spaces and bidi controls) or what has no agreed shape
 * (private-use, unassigned code points), and compared by their confusable skeleton (Unicode UTS
 * #39, ICU's {@link SpoofChecker}) in any letter case, so a look-alike is the same name.
 * Thread-safe: ICU's normaliser and a built spoof checker are immutable.
 */
final class Names {

  private static final Normalizer2 NFKC = Normalizer2.getNFKCInstance();
  private static final SpoofChecker SPOOF = new SpoofChecker.Builder().build();

  private Names() {}

  /** The name as stored and shown: outer white space removed, NFKC. */
  static String normalized(String name) {
    return NFKC.normalize(name.strip());
  }

  /** Whether the name holds a format, private-use, unassigned or lone surrogate code point. */
  static boolean hasInvisibleOrUnassigned(String name) {
    return name.codePoints()
        .anyMatch(
            codePoint ->
                switch (UCharacter.getType(codePoint)) {
                  case UCharacterCategory.FORMAT,
                      UCharacterCategory.PRIVATE_USE,
                      UCharacterCategory.UNASSIGNED,
                      UCharacterCategory.SURROGATE ->
                      true;
                  default -> false;
                });
  }

  /**
   * What the name looks like, for comparing: its confusable skeleton, case folded first and after.
   */
  static String skeleton(String name) {
    return UCharacter.foldCase(
        SPOOF.getSkeleton(UCharacter.foldCase(normalized(name), true)), true);
  }
}
