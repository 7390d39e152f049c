package io.ucache.interceptor;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The tags of an annotation ({@code @UCache(tags = ...)}, {@code @UCacheEvict(tags = ...)}),
 * parsed once: templates whose {@code {0}} or {@code {name}} placeholders stand for the call's key
 * arguments (by position among them, or by the key parameter's name), rendered with
 * {@code String.valueOf}. Immutable and thread-safe.
 */
final class TagTemplates {

  /** Per template, its parts: a literal String, or the Integer index of a key argument. */
  private final List<List<Object>> templates;

  private TagTemplates(List<List<Object>> templates) {
    this.templates = templates;
  }

  /**
   * Parses {@code tags} of {@code method}, whose key parameters are {@code keyParameters} (null
   * for all); null when there are none.
   *
   * @throws io.ucache.CacheConfigException naming the method when a template is malformed or
   *     names no key parameter
   */
  static @Nullable TagTemplates parse(String[] tags, Method method,
      int @Nullable [] keyParameters, String where) {
    if (tags.length == 0) {
      return null;
    }
    Parameter[] parameters = method.getParameters();
    int keyCount = keyParameters == null ? parameters.length : keyParameters.length;
    List<List<Object>> parsed = new ArrayList<>();
    for (String tag : tags) {
      if (tag.isBlank()) {
        throw Operation.invalid(where, "a tag is blank");
      }
      List<Object> parts = new ArrayList<>();
      int at = 0;
      while (at < tag.length()) {
        int open = tag.indexOf('{', at);
        if (open < 0) {
          parts.add(tag.substring(at));
          break;
        }
        int close = tag.indexOf('}', open);
        if (close < 0) {
          throw Operation.invalid(where, "tag \"" + tag + "\" has a '{' without its '}'");
        }
        if (open > at) {
          parts.add(tag.substring(at, open));
        }
        parts.add(keyIndex(tag, tag.substring(open + 1, close), parameters, keyParameters,
            keyCount, where));
        at = close + 1;
      }
      parsed.add(List.copyOf(parts));
    }
    return new TagTemplates(List.copyOf(parsed));
  }

  private static Integer keyIndex(String tag, String placeholder, Parameter[] parameters,
      int @Nullable [] keyParameters, int keyCount, String where) {
    if (!placeholder.isEmpty() && placeholder.chars().allMatch(Character::isDigit)) {
      int index = Integer.parseInt(placeholder);
      if (index >= keyCount) {
        throw Operation.invalid(where, "tag \"" + tag + "\" refers to key argument " + index
            + ", and the method has " + keyCount);
      }
      return index;
    }
    for (int k = 0; k < keyCount; k++) {
      int parameter = keyParameters == null ? k : keyParameters[k];
      if (parameters[parameter].getName().equals(placeholder)) {
        return k;
      }
    }
    throw Operation.invalid(where, "tag \"" + tag + "\" refers to {" + placeholder + "}, which "
        + "is no key parameter's name (names need -parameters; {0} is the first key argument)");
  }

  /** The tags of a call with these key arguments, in template order. */
  List<String> render(@Nullable Object[] keyArguments) {
    List<String> tags = new ArrayList<>(templates.size());
    for (List<Object> parts : templates) {
      StringBuilder tag = new StringBuilder();
      for (Object part : parts) {
        tag.append(part instanceof Integer index ? String.valueOf(keyArguments[index]) : part);
      }
      tags.add(tag.toString());
    }
    return tags;
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof TagTemplates that && templates.equals(that.templates);
  }

  @Override
  public int hashCode() {
    return templates.hashCode();
  }

  @Override
  public String toString() {
    return templates.toString();
  }
}
