package io.ucache;

/** Masks secrets in text meant for people: toString, exception messages, logs, CLI output. */
final class Secrets {
  static final String MASK = "****";

  private Secrets() {}

  /**
   * Masks the password of every URL in {@code text}, a comma-separated list: in each part, the
   * userinfo (from after {@code ://}, or from the start when the scheme was left out, up to the
   * part's last {@code @}, so a password holding {@code /} or {@code @} is masked whole) keeps
   * only its user name: {@code redis://user:pw@h} becomes {@code redis://user:****@h}, and
   * {@code redis://pw@h} (Redis reads a lone userinfo as a password) becomes
   * {@code redis://****@h}.
   */
  static String maskUrl(String text) {
    if (text.indexOf('@') < 0) {
      return text;
    }
    String[] parts = text.split(",", -1);
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < parts.length; i++) {
      out.append(i == 0 ? "" : ",").append(maskOne(parts[i]));
    }
    return out.toString();
  }

  private static String maskOne(String part) {
    int at = part.lastIndexOf('@');
    if (at < 0) {
      return part;
    }
    int scheme = part.indexOf("://");
    int start = scheme >= 0 && scheme < at ? scheme + 3 : 0;
    while (start < at && Character.isWhitespace(part.charAt(start))) {
      start++;
    }
    String userinfo = part.substring(start, at);
    int colon = userinfo.indexOf(':');
    String masked = colon >= 0 ? userinfo.substring(0, colon + 1) + MASK : MASK;
    return part.substring(0, start) + masked + part.substring(at);
  }
}
