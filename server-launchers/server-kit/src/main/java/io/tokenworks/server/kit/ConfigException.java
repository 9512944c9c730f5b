package io.tokenworks.server.kit;

/**
 * Bad configuration: an unknown key in a config file, a value that does not parse or is out of
 * range, a missing file. The message is one line naming the setting, where the value came from and
 * how to fix it; a launcher prints it and exits with a non-zero code, without a stack trace.
 */
public final class ConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message, null, false, false);
  }
}
