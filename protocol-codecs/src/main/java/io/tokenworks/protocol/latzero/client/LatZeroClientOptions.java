package io.tokenworks.protocol.latzero.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenworks.protocol.latzero.LatZeroFrameDescriptor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;

/**
 * How a {@link LatZeroClient} connects and what its handshake says. Build with {@link #builder()};
 * {@link #defaults()} joins the {@code default} pool with no triggers.
 */
public final class LatZeroClientOptions {

  private final List<String> pools;
  private final Map<String, TriggerHandler> triggers;
  private final JsonNode metadata;
  private final boolean rehydrate;
  private final Map<String, Map<String, String>> credentials;
  private final String adminToken;
  private final SSLContext sslContext;
  private final Duration connectTimeout;
  private final Duration requestTimeout;
  private final int maxOutstanding;
  private final int maxFrameBytes;
  private final Executor handlerExecutor;
  private final int handlerThreads;

  private LatZeroClientOptions(Builder b) {
    this.pools = List.copyOf(b.pools);
    this.triggers = new LinkedHashMap<>(b.triggers);
    this.metadata = b.metadata;
    this.rehydrate = b.rehydrate;
    this.credentials = Map.copyOf(b.credentials);
    this.adminToken = b.adminToken;
    this.sslContext = b.sslContext;
    this.connectTimeout = b.connectTimeout;
    this.requestTimeout = b.requestTimeout;
    this.maxOutstanding = b.maxOutstanding;
    this.maxFrameBytes = b.maxFrameBytes;
    this.handlerExecutor = b.handlerExecutor;
    this.handlerThreads = b.handlerThreads;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Joins {@code default}, registers no triggers, plain TCP. */
  public static LatZeroClientOptions defaults() {
    return builder().build();
  }

  /** The pools to join; empty lets the server decide ({@code default}, or the stored pools). */
  public List<String> pools() {
    return pools;
  }

  /** Trigger names to register, each with its handler or {@code null} (set by onTrigger). */
  Map<String, TriggerHandler> triggers() {
    return triggers;
  }

  public JsonNode metadata() {
    return metadata;
  }

  public boolean rehydrate() {
    return rehydrate;
  }

  Map<String, Map<String, String>> credentials() {
    return credentials;
  }

  String adminToken() {
    return adminToken;
  }

  public SSLContext sslContext() {
    return sslContext;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  public Duration requestTimeout() {
    return requestTimeout;
  }

  public int maxOutstanding() {
    return maxOutstanding;
  }

  public int maxFrameBytes() {
    return maxFrameBytes;
  }

  Executor handlerExecutor() {
    return handlerExecutor;
  }

  int handlerThreads() {
    return handlerThreads;
  }

  /** Fluent options; every setting has a default. */
  public static final class Builder {
    private final List<String> pools = new ArrayList<>();
    private final Map<String, TriggerHandler> triggers = new LinkedHashMap<>();
    private JsonNode metadata;
    private boolean rehydrate;
    private final Map<String, Map<String, String>> credentials = new LinkedHashMap<>();
    private String adminToken;
    private SSLContext sslContext;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private int maxOutstanding = 1024;
    private int maxFrameBytes = LatZeroFrameDescriptor.DEFAULT_MAX_FRAME_LENGTH;
    private Executor handlerExecutor;
    private int handlerThreads = 1;

    private Builder() {}

    /** Pools to join (the server's default is {@code ["default"]}). */
    public Builder pools(String... names) {
      pools.addAll(List.of(names));
      return this;
    }

    /**
     * Registers trigger names whose handlers come later through {@link LatZeroClient#onTrigger}.
     */
    public Builder triggers(String... names) {
      for (String name : names) {
        triggers.putIfAbsent(Objects.requireNonNull(name, "trigger"), null);
      }
      return this;
    }

    /** Registers a trigger with its handler. */
    public Builder trigger(String name, TriggerHandler handler) {
      triggers.put(Objects.requireNonNull(name, "trigger"), Objects.requireNonNull(handler));
      return this;
    }

    public Builder metadata(JsonNode value) {
      this.metadata = value;
      return this;
    }

    /** Asks the server to restore this app's stored pools and triggers. */
    public Builder rehydrate(boolean value) {
      this.rehydrate = value;
      return this;
    }

    /**
     * Keys for an encrypted pool, any subset of {@code sigil_key}, {@code cipher_shard} and {@code
     * oblivion_seal} (64 hex characters each).
     */
    public Builder credentials(String pool, Map<String, String> keys) {
      credentials.put(Objects.requireNonNull(pool, "pool"), Map.copyOf(keys));
      return this;
    }

    /**
     * The server's admin token (the content of {@code <data-dir>/admin.token}); the app id must be
     * the server's admin app id ({@code latzero-admin}).
     */
    public Builder adminToken(String token) {
      this.adminToken = Objects.requireNonNull(token, "token").trim();
      return this;
    }

    /** Speaks TLS with this context (e.g. one trusting the server's certificate). */
    public Builder sslContext(SSLContext context) {
      this.sslContext = Objects.requireNonNull(context, "sslContext");
      return this;
    }

    public Builder connectTimeout(Duration value) {
      this.connectTimeout = Objects.requireNonNull(value, "connectTimeout");
      return this;
    }

    /** How long blocking requests (handshake, memory, administration) wait for their answer. */
    public Builder requestTimeout(Duration value) {
      this.requestTimeout = Objects.requireNonNull(value, "requestTimeout");
      return this;
    }

    /**
     * Requests that may await an answer at once; one more fails at once with {@link
     * LatZeroClientException#OVERLOADED} and sends nothing. Default 1024.
     */
    public Builder maxOutstanding(int value) {
      this.maxOutstanding = value;
      return this;
    }

    /** The largest frame body sent or accepted; at most the protocol's 16 MiB. */
    public Builder maxFrameBytes(int value) {
      this.maxFrameBytes = value;
      return this;
    }

    /** Runs trigger handlers and listeners; by default the client's own thread(s). */
    public Builder handlerExecutor(Executor executor) {
      this.handlerExecutor = Objects.requireNonNull(executor, "handlerExecutor");
      return this;
    }

    /** Threads of the client's own handler executor (default 1: handlers run in arrival order). */
    public Builder handlerThreads(int threads) {
      this.handlerThreads = threads;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the first bad setting as {@code name=value}
     */
    public LatZeroClientOptions build() {
      if (maxOutstanding < 1) {
        throw new IllegalArgumentException("maxOutstanding=" + maxOutstanding + " must be >= 1");
      }
      if (maxFrameBytes < 64 || maxFrameBytes > LatZeroFrameDescriptor.DEFAULT_MAX_FRAME_LENGTH) {
        throw new IllegalArgumentException(
            "maxFrameBytes="
                + maxFrameBytes
                + " must be 64.."
                + LatZeroFrameDescriptor.DEFAULT_MAX_FRAME_LENGTH);
      }
      if (handlerThreads < 1) {
        throw new IllegalArgumentException("handlerThreads=" + handlerThreads + " must be >= 1");
      }
      if (requestTimeout.isNegative() || requestTimeout.isZero()) {
        throw new IllegalArgumentException("requestTimeout=" + requestTimeout + " must be > 0");
      }
      return new LatZeroClientOptions(this);
    }
  }
}
