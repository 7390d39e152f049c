package io.ucache.examples.quote;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /quotes/{symbol}}: a quote, the company's name, and the exchange's call count. */
@RestController
public class QuoteController {
  private final QuoteService quotes;
  private final Exchange exchange;

  public QuoteController(QuoteService quotes, Exchange exchange) {
    this.quotes = quotes;
    this.exchange = exchange;
  }

  /** What a client sees. */
  public record QuoteView(String symbol, String company, String price, String pricedAt,
      int exchangeCalls) {}

  @GetMapping("/quotes/{symbol}")
  public QuoteView quote(@PathVariable("symbol") String symbol) {
    Quote quote = quotes.quote(symbol);
    return new QuoteView(quote.symbol(), quotes.companyName(symbol), quote.price().toPlainString(),
        quote.pricedAt().toString(), exchange.calls());
  }
}
