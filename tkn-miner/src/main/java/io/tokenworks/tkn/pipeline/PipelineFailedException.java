package io.tokenworks.tkn.pipeline;

/**
 * A session's pipeline failed: its remaining tokens will not be written. Thrown by {@link
 * TokenPipeline#onToken} after the failure and used to complete flush and close futures.
 */
public final class PipelineFailedException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  private final String sessionId;
  private final long tokensNotWritten;

  public PipelineFailedException(String sessionId, long tokensNotWritten, Throwable cause) {
    super(
        "token pipeline of session "
            + sessionId
            + " failed, "
            + tokensNotWritten
            + " tokens not written: "
            + (cause == null ? "closed" : cause.getMessage()),
        cause);
    this.sessionId = sessionId;
    this.tokensNotWritten = tokensNotWritten;
  }

  public String sessionId() {
    return sessionId;
  }

  /** Tokens accepted by the pipeline whose write was not confirmed. */
  public long tokensNotWritten() {
    return tokensNotWritten;
  }
}
