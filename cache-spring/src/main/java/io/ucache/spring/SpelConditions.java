package io.ucache.spring;

import io.ucache.annotation.CallCondition;
import io.ucache.annotation.ResultCondition;
import io.ucache.interceptor.ConditionExpressions;
import java.lang.reflect.Method;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.context.expression.BeanFactoryResolver;
import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.expression.EvaluationException;
import org.springframework.expression.Expression;
import org.springframework.expression.ParseException;
import org.springframework.expression.spel.standard.SpelExpressionParser;

/**
 * The annotations' {@code condition} and {@code unless} attributes as Spring Expression Language,
 * as Spring's {@code @Cacheable} reads them: each parsed once per method; evaluated per call
 * against the arguments by name ({@code #id}, with {@code -parameters}, which Spring Boot's build
 * sets), by position ({@code #p0}, {@code #a0}), {@code #root.method}, {@code #root.methodName},
 * {@code #root.args}, beans ({@code @name}), and, for {@code unless}, {@code #result} (the value
 * an {@code Optional} or future holds). An expression that does not give a boolean, or fails,
 * throws naming the method: it is a mistake in the code, not a cache failure. Thread-safe.
 */
final class SpelConditions implements ConditionExpressions {

  private final SpelExpressionParser parser = new SpelExpressionParser();
  private final ParameterNameDiscoverer names = new DefaultParameterNameDiscoverer();
  private final @Nullable BeanFactory beans;

  SpelConditions(@Nullable BeanFactory beans) {
    this.beans = beans;
  }

  @Override
  public CallCondition condition(Method method, String expression) {
    Expression parsed = parse(expression);
    return (m, args) -> evaluate(parsed, expression, method, args, false, null);
  }

  @Override
  public ResultCondition unless(Method method, String expression) {
    Expression parsed = parse(expression);
    return (m, args, result) -> evaluate(parsed, expression, method, args, true, result);
  }

  private Expression parse(String expression) {
    try {
      return parser.parseExpression(expression);
    } catch (ParseException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private boolean evaluate(Expression parsed, String expression, Method method,
      @Nullable Object[] args, boolean withResult, @Nullable Object result) {
    MethodBasedEvaluationContext context =
        new MethodBasedEvaluationContext(new Root(method, args), method, args, names);
    if (withResult) {
      context.setVariable("result", result);
    }
    if (beans != null) {
      context.setBeanResolver(new BeanFactoryResolver(beans));
    }
    Boolean value;
    try {
      value = parsed.getValue(context, Boolean.class);
    } catch (EvaluationException e) {
      throw new IllegalStateException("The cache expression \"" + expression + "\" on "
          + method.toGenericString() + " failed: " + e.getMessage(), e);
    }
    if (value == null) {
      throw new IllegalStateException("The cache expression \"" + expression + "\" on "
          + method.toGenericString() + " gave null, not true or false");
    }
    return value;
  }

  /** What {@code #root} is in an expression. Its getters are read by SpEL. */
  public static final class Root {
    private final Method method;
    private final @Nullable Object[] args;

    Root(Method method, @Nullable Object[] args) {
      this.method = method;
      this.args = args;
    }

    public Method getMethod() {
      return method;
    }

    public String getMethodName() {
      return method.getName();
    }

    public @Nullable Object[] getArgs() {
      return args;
    }
  }
}
