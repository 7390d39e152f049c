package io.ucache;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Masks secrets in text meant for people: toString, exception messages, logs, CLI output. */
final class Secrets {
  static final String MASK = "****";

  /**
   * The userinfo of a URL: everything between "://" and the next "@" before any "/". A URL whose
   * scheme was left out ({@code user:pw@host}, a typo the error message must not leak) has its
   * userinfo at the start of the text or after a comma.
   */
  private static final Pattern USERINFO = Pattern.compile("(://|^\\s*|,\\s*)([^@/,\\s]*)@");

  private Secrets() {}

  /**
   * Masks the password of every URL in {@code text}: {@code redis://user:pw@h} becomes
   * {@code redis://user:****@h}, and {@code redis://pw@h} (Redis reads a lone userinfo as a
   * password) becomes {@code redis://****@h}.
   */
  static String maskUrl(String text) {
    if (!text.contains("@")) {
      return text;
    }
    Matcher m = USERINFO.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String userinfo = m.group(2);
      int colon = userinfo.indexOf(':');
      String masked = colon >= 0 ? userinfo.substring(0, colon + 1) + MASK : MASK;
      m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + masked + "@"));
    }
    m.appendTail(out);
    return out.toString();
  }
}
