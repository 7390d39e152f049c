package io.ucache.interceptor;

import io.ucache.annotation.CallCondition;
import io.ucache.annotation.ResultCondition;
import java.lang.reflect.Method;
import org.jspecify.annotations.Nullable;

/**
 * Makes the conditions of one annotated method, once, when it is parsed: from a class attribute
 * ({@code conditionClass}, {@code unlessClass}) or from an expression attribute
 * ({@code condition}, {@code unless}) through the interceptor's {@link ConditionExpressions}.
 */
final class Conditions {

  private Conditions() {}

  /**
   * The call condition given by {@code expression} or {@code type}, or null for none.
   *
   * @throws io.ucache.CacheConfigException naming the method when both are given, the class
   *     cannot be made, or the expression cannot be compiled here
   */
  static @Nullable CallCondition condition(String annotation, Method method, String where,
      String expression, Class<? extends CallCondition> type,
      @Nullable ConditionExpressions expressions) {
    if (type != CallCondition.class) {
      if (!expression.isBlank()) {
        throw Operation.invalid(where, annotation + " sets both condition and conditionClass; "
            + "keep one");
      }
      return instantiate(type, "conditionClass", where);
    }
    if (expression.isBlank()) {
      return null;
    }
    try {
      return expressions(expressions, annotation, "condition", expression, where)
          .condition(method, expression);
    } catch (IllegalArgumentException e) {
      throw Operation.invalid(where, annotation + " condition \"" + expression + "\": "
          + e.getMessage());
    }
  }

  /**
   * The result condition given by {@code expression} or {@code type}, or null for none.
   *
   * @throws io.ucache.CacheConfigException as {@link #condition}
   */
  static @Nullable ResultCondition unless(String annotation, Method method, String where,
      String expression, Class<? extends ResultCondition> type,
      @Nullable ConditionExpressions expressions) {
    if (type != ResultCondition.class) {
      if (!expression.isBlank()) {
        throw Operation.invalid(where, annotation + " sets both unless and unlessClass; keep "
            + "one");
      }
      return instantiate(type, "unlessClass", where);
    }
    if (expression.isBlank()) {
      return null;
    }
    try {
      return expressions(expressions, annotation, "unless", expression, where)
          .unless(method, expression);
    } catch (IllegalArgumentException e) {
      throw Operation.invalid(where, annotation + " unless \"" + expression + "\": "
          + e.getMessage());
    }
  }

  private static ConditionExpressions expressions(@Nullable ConditionExpressions expressions,
      String annotation, String attribute, String expression, String where) {
    if (expressions == null) {
      throw Operation.invalid(where, annotation + " " + attribute + " = \"" + expression
          + "\" is a Spring Expression Language expression, which only the Spring advisor "
          + "evaluates; through a plain proxy, give a class instead (" + attribute
          + "Class = ...)");
    }
    return expressions;
  }

  static <T> T instantiate(Class<? extends T> type, String attribute, String where) {
    try {
      var constructor = type.getDeclaredConstructor();
      constructor.trySetAccessible();
      return constructor.newInstance();
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw Operation.invalid(where, attribute + " " + type.getName() + " cannot be created "
          + "with a no-argument constructor: " + e);
    }
  }
}
