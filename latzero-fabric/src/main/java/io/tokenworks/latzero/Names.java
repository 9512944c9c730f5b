package io.tokenworks.latzero;

/**
 * The naming rules of the Gen-1 protocol, so a server can reject bad input early: app ids (at most
 * 128 characters of {@code [A-Za-z0-9._-]}), pool names (at most 64, same characters) and trigger
 * names (at most 128 of {@code [A-Za-z0-9._:-]}). None may be empty.
 */
public final class Names {

  public static final int MAX_APP_ID_LENGTH = 128;
  public static final int MAX_POOL_NAME_LENGTH = 64;
  public static final int MAX_TRIGGER_NAME_LENGTH = 128;

  private Names() {}

  public static boolean isValidAppId(String appId) {
    return matches(appId, MAX_APP_ID_LENGTH, false);
  }

  public static boolean isValidPoolName(String pool) {
    return matches(pool, MAX_POOL_NAME_LENGTH, false);
  }

  public static boolean isValidTriggerName(String trigger) {
    return matches(trigger, MAX_TRIGGER_NAME_LENGTH, true);
  }

  private static boolean matches(String name, int maxLength, boolean colonAllowed) {
    if (name == null || name.isEmpty() || name.length() > maxLength) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean allowed =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == '-'
              || (colonAllowed && c == ':');
      if (!allowed) {
        return false;
      }
    }
    return true;
  }
}
