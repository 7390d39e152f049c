package io.ucache.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AvailabilityTest {

  private final ClassLoader loader = getClass().getClassLoader();

  @Test
  void ofClasses_presentClasses_available() {
    Availability availability = Availability.ofClasses(loader, "org.example:lib",
        "java.lang.String", AvailabilityTest.class.getName());

    assertThat(availability.available()).isTrue();
    assertThat(availability.reason()).isNull();
    assertThat(availability).isEqualTo(Availability.yes());
  }

  @Test
  void ofClasses_missingClass_unavailableNamingClassAndArtifact() {
    Availability availability = Availability.ofClasses(loader, "org.ehcache:ehcache",
        "java.lang.String", "org.ehcache.CacheManagerThatDoesNotExist");

    assertThat(availability.available()).isFalse();
    assertThat(availability.reason())
        .isEqualTo("class org.ehcache.CacheManagerThatDoesNotExist not found: add "
            + "org.ehcache:ehcache");
  }

  @Test
  void ofClasses_severalMissing_namesTheFirst() {
    Availability availability = Availability.ofClasses(loader, "a:b", "com.example.First",
        "com.example.Second");

    assertThat(availability.reason()).contains("com.example.First")
        .doesNotContain("com.example.Second");
  }

  @Test
  void ofClasses_noClasses_available() {
    assertThat(Availability.ofClasses(loader, "a:b").available()).isTrue();
  }

  @Test
  void ofClasses_classVisibleOnlyToAnotherLoader_unavailable() {
    // The platform loader cannot see the application's (test) classes.
    Availability availability = Availability.ofClasses(ClassLoader.getPlatformClassLoader(),
        "io.ucache:test", AvailabilityTest.class.getName());

    assertThat(availability.available()).isFalse();
    assertThat(availability.reason()).contains(AvailabilityTest.class.getName());
  }

  @Test
  void no_reason_unavailableWithIt() {
    Availability availability = Availability.no("server down");

    assertThat(availability.available()).isFalse();
    assertThat(availability.reason()).isEqualTo("server down");
    assertThatThrownBy(() -> Availability.no(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void constructor_reasonGivenExactlyWhenUnavailable_enforced() {
    assertThatThrownBy(() -> new Availability(true, "why"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Availability(false, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new Availability(true, null)).isEqualTo(Availability.yes());
  }
}
