package io.ucache;

/** {@link Ticker#system()}: one instance, so configurations that use it compare equal. */
enum SystemTicker implements Ticker {
  INSTANCE;

  @Override
  public long read() {
    return System.nanoTime();
  }
}
