package io.ucache.examples.quote;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * One price of a stock. Serializable, so disk and remote engines can store it too.
 *
 * @param symbol the ticker symbol
 * @param price the price, in dollars
 * @param pricedAt when the exchange priced it
 */
public record Quote(String symbol, BigDecimal price, Instant pricedAt) implements Serializable {}
