package io.ucache.testkit;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * A tiny blocking Redis client for tests: sends commands as RESP2 arrays of bulk strings and
 * parses the {@code +}, {@code -}, {@code :}, {@code $} and {@code *} replies. It replaces the
 * {@code redis-cli} binary, so the test kit needs only {@code redis-server}.
 *
 * <p>Replies are a {@link String} (simple or bulk string), a {@link Long} (integer),
 * {@code null} (nil bulk string or nil array), a {@link List} (array) or an {@link Error}.
 *
 * <p><b>Thread-safety:</b> not thread-safe; one connection per caller.
 */
final class RespClient implements Closeable {

  /** An error reply ({@code -ERR ...}), whose text is {@link #message}. */
  record Error(String message) {
    @Override
    public String toString() {
      return message;
    }
  }

  private final String host;
  private final int port;
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private RespClient(String host, int port, Socket socket) throws IOException {
    this.host = host;
    this.port = port;
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream());
    this.out = new BufferedOutputStream(socket.getOutputStream());
  }

  /** Connects to {@code host:port}; connecting and each read give up after {@code timeout}. */
  static RespClient connect(String host, int port, Duration timeout) throws IOException {
    Socket socket = new Socket();
    try {
      socket.connect(new InetSocketAddress(host, port), Math.toIntExact(timeout.toMillis()));
      socket.setSoTimeout(Math.toIntExact(timeout.toMillis()));
      socket.setTcpNoDelay(true);
      return new RespClient(host, port, socket);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  String host() {
    return host;
  }

  int port() {
    return port;
  }

  /** Sends one command and returns its reply (an {@link Error} reply is returned, not thrown). */
  @Nullable Object call(String... args) throws IOException {
    return call(Arrays.asList(args));
  }

  /** Sends one command and returns its reply (an {@link Error} reply is returned, not thrown). */
  @Nullable Object call(List<String> args) throws IOException {
    out.write(('*' + Integer.toString(args.size()) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    for (String arg : args) {
      byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
      out.write(('$' + Integer.toString(bytes.length) + "\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.write(bytes);
      out.write('\r');
      out.write('\n');
    }
    out.flush();
    return read();
  }

  /** Like {@link #call(String...)}, but an error reply throws. */
  @Nullable Object callOk(String... args) throws IOException {
    Object reply = call(args);
    if (reply instanceof Error error) {
      throw new IllegalStateException(args[0] + " failed on " + host + ":" + port + ": "
          + error.message());
    }
    return reply;
  }

  /**
   * Formats a reply the way {@code redis-cli} prints it to a pipe: a string as its text, an
   * integer as its number, nil as an empty string, an error as its text, an array one element per
   * line.
   */
  static String format(@Nullable Object reply) {
    if (reply == null) {
      return "";
    }
    if (reply instanceof List<?> list) {
      return list.stream().map(RespClient::format).collect(Collectors.joining("\n"));
    }
    return reply.toString();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  // ---------------------------------------------------------------------------------------------

  private @Nullable Object read() throws IOException {
    int type = in.read();
    if (type < 0) {
      throw new EOFException("the server at " + host + ":" + port + " closed the connection");
    }
    String line = readLine();
    switch (type) {
      case '+':
        return line;
      case '-':
        return new Error(line);
      case ':':
        return Long.parseLong(line);
      case '$': {
        int length = Integer.parseInt(line);
        if (length < 0) {
          return null;
        }
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length) {
          throw new EOFException("truncated bulk string from " + host + ":" + port);
        }
        readLine();
        return new String(bytes, StandardCharsets.UTF_8);
      }
      case '*': {
        int count = Integer.parseInt(line);
        if (count < 0) {
          return null;
        }
        List<@Nullable Object> elements = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          elements.add(read());
        }
        return elements;
      }
      default:
        throw new IOException("not a RESP2 reply from " + host + ":" + port + ": "
            + (char) type + line);
    }
  }

  /** Reads up to CRLF and returns the text before it. */
  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("the server at " + host + ":" + port + " closed the connection");
      }
      if (b == '\r') {
        int next = in.read();
        if (next == '\n') {
          return line.toString(StandardCharsets.UTF_8);
        }
        line.write(b);
        if (next < 0) {
          throw new EOFException("the server closed the connection");
        }
        line.write(next);
      } else {
        line.write(b);
      }
    }
  }
}
