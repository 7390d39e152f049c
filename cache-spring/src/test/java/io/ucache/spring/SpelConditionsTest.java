package io.ucache.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ucache.CacheConfigException;
import io.ucache.annotation.CacheKey;
import io.ucache.annotation.UCache;
import io.ucache.annotation.UCacheEvict;
import io.ucache.annotation.UCachePut;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The annotations' Spring Expression Language attributes on a Boot application's bean (a CGLIB
 * proxy): conditions over arguments by name and position, {@code #root}, {@code #result} and
 * beans; a mistake in an expression fails the call, naming the method.
 */
class SpelConditionsTest {

  /** Caches accounts by id; counts the reads. */
  static class Accounts {
    final AtomicInteger reads = new AtomicInteger();

    @UCache(name = "accounts", condition = "#id > 0", unless = "#result.isEmpty()")
    public String account(int id) {
      reads.incrementAndGet();
      return id == 99 ? "" : "account-" + id + "-" + reads.get();
    }

    @UCachePut(name = "accounts", condition = "#root.methodName == 'rename' and #name != ''",
        unless = "#result.startsWith('draft')")
    public String rename(@CacheKey int id, String name) {
      return name;
    }

    @UCacheEvict(name = "accounts", condition = "#p0 != 7")
    public void close(int id) {}

    @UCache(name = "flagged", condition = "@flags.caching")
    public String flagged(String key) {
      reads.incrementAndGet();
      return key;
    }

    @UCache(name = "unparsable", condition = "#id >")
    public String unparsable(int id) {
      return "x";
    }

    @UCache(name = "not-boolean", condition = "#id")
    public String notBoolean(int id) {
      return "x";
    }

    /** Read through the proxy: a CGLIB proxy's own fields are not the target's. */
    public int reads() {
      return reads.get();
    }
  }

  /** A bean the expressions refer to. */
  public static class Flags {
    private final AtomicBoolean caching = new AtomicBoolean(true);

    public boolean isCaching() {
      return caching.get();
    }

    void caching(boolean on) {
      caching.set(on);
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Services {
    @Bean
    Accounts accounts() {
      return new Accounts();
    }

    @Bean
    Flags flags() {
      return new Flags();
    }
  }

  private ApplicationContextRunner runner() {
    return new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class,
            UCacheAutoConfiguration.class))
        .withUserConfiguration(Services.class)
        .withPropertyValues("ucache.engine=caffeine");
  }

  @Test
  void condition_overArgumentsByName_falseRunsTheMethodUncached() {
    runner().run(context -> {
      Accounts accounts = context.getBean(Accounts.class);
      accounts.account(-1);
      accounts.account(-1);
      accounts.account(1);
      accounts.account(1);
      assertThat(accounts.reads()).isEqualTo(3);
    });
  }

  @Test
  void unless_overTheResult_keepsItOutOfTheCache() {
    runner().run(context -> {
      Accounts accounts = context.getBean(Accounts.class);
      assertThat(accounts.account(99)).isEmpty();
      assertThat(accounts.account(99)).isEmpty();
      assertThat(accounts.reads()).isEqualTo(2);
    });
  }

  @Test
  void put_conditionOverRootAndArguments_unlessOverTheResult() {
    runner().run(context -> {
      Accounts accounts = context.getBean(Accounts.class);
      String first = accounts.account(1);

      accounts.rename(1, "");
      assertThat(accounts.account(1)).as("condition false: not written").isEqualTo(first);
      accounts.rename(1, "draft-x");
      assertThat(accounts.account(1)).as("unless true: not written").isEqualTo(first);
      accounts.rename(1, "Ada");
      assertThat(accounts.account(1)).isEqualTo("Ada");
      assertThat(accounts.reads()).isEqualTo(1);
    });
  }

  @Test
  void evict_conditionByPosition() {
    runner().run(context -> {
      Accounts accounts = context.getBean(Accounts.class);
      accounts.account(7);
      accounts.close(7);
      accounts.account(7);
      assertThat(accounts.reads()).as("#p0 != 7 is false: kept").isEqualTo(1);
      accounts.account(8);
      accounts.close(8);
      accounts.account(8);
      assertThat(accounts.reads()).isEqualTo(3);
    });
  }

  @Test
  void condition_referringToABean_readEachCall() {
    runner().run(context -> {
      Accounts accounts = context.getBean(Accounts.class);
      accounts.flagged("a");
      accounts.flagged("a");
      context.getBean(Flags.class).caching(false);
      accounts.flagged("a");
      assertThat(accounts.reads()).isEqualTo(2);
    });
  }

  @Test
  void expressionThatDoesNotParse_failsTheCallNamingTheMethodAndTheExpression() {
    runner().run(context -> {
      Accounts accounts = context.getBean(Accounts.class);
      assertThatThrownBy(() -> accounts.unparsable(1))
          .isInstanceOf(CacheConfigException.class)
          .hasMessageContaining("Accounts.unparsable(int)")
          .hasMessageContaining("condition \"#id >\"");
    });
  }

  @Test
  void expressionThatIsNotABoolean_failsTheCallNamingTheExpression() {
    runner().run(context -> {
      Accounts accounts = context.getBean(Accounts.class);
      assertThatThrownBy(() -> accounts.notBoolean(1))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("\"#id\"")
          .hasMessageContaining("notBoolean");
    });
  }
}
