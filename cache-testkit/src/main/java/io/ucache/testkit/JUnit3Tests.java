package io.ucache.testkit;

import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.Collections;
import java.util.stream.Stream;
import junit.framework.Test;
import junit.framework.TestCase;
import junit.framework.TestSuite;
import org.junit.jupiter.api.DynamicNode;

/**
 * Runs JUnit 3 suites, such as those Guava's testlib generates, as JUnit 5 dynamic tests: each
 * {@link TestSuite} becomes a container and each {@link TestCase} a test that calls
 * {@link TestCase#runBare()}, so its setUp and tearDown run and a failure fails the dynamic test.
 * Stateless.
 */
final class JUnit3Tests {
  private JUnit3Tests() {}

  /** The tests and sub-suites of {@code suite}, as dynamic nodes. */
  static Stream<DynamicNode> children(TestSuite suite) {
    return Collections.list(suite.tests()).stream().map(JUnit3Tests::node);
  }

  private static DynamicNode node(Test test) {
    if (test instanceof TestSuite suite) {
      return dynamicContainer(suite.getName(), children(suite));
    }
    if (test instanceof TestCase testCase) {
      return dynamicTest(testCase.getName(), testCase::runBare);
    }
    // Quietly skipping an unknown kind of test would hide tests that never ran.
    throw new IllegalArgumentException("Cannot run " + test.getClass().getName() + ": " + test);
  }
}
