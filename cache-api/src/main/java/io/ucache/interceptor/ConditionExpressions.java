package io.ucache.interceptor;

import io.ucache.annotation.CallCondition;
import io.ucache.annotation.ResultCondition;
import java.lang.reflect.Method;

/**
 * Compiles the expression attributes of the cache annotations ({@code condition},
 * {@code unless}) into conditions, once per annotated method: what an integration with an
 * expression language gives an interceptor ({@link UCacheInterceptor#withExpressions}). The
 * Spring advisor compiles them as Spring Expression Language; plain interceptors have none and
 * refuse such attributes, naming the method.
 *
 * <p>Implementations must be thread-safe, and so must the conditions they return.
 */
public interface ConditionExpressions {

  /**
   * A condition that evaluates {@code expression} over a call's arguments.
   *
   * @throws IllegalArgumentException if the expression cannot be parsed, saying why
   */
  CallCondition condition(Method method, String expression);

  /**
   * A condition that evaluates {@code expression} over a call's arguments and its result.
   *
   * @throws IllegalArgumentException if the expression cannot be parsed, saying why
   */
  ResultCondition unless(Method method, String expression);
}
