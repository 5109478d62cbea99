package com.helix.aggregation.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Database URLs without their credentials, for messages and logs. Passwords are rarely
 * percent-encoded in practice, so the URL is taken apart by hand rather than by {@link
 * java.net.URI} (which refuses them): the credential query parameters go first, then the user
 * information, which ends at the last {@code @} (a password may hold {@code @}, {@code /} or {@code
 * ?}). Over-redacting a host is acceptable; leaking a password is not.
 */
public final class DatabaseUrls {
  private static final Set<String> CREDENTIAL_PARAMETERS =
      Set.of("password", "user", "sslpassword", "sslkey");

  private DatabaseUrls() {}

  /**
   * The URL without user name or password: {@code jdbc:postgresql://}, {@code postgresql://} and
   * {@code postgres://} forms with user information or credential query parameters, and libpq's
   * {@code key=value} connection strings.
   */
  public static String redact(String url) {
    if (url == null) {
      return null;
    }
    int scheme = url.indexOf("://");
    if (scheme < 0) {
      // libpq keyword/value form: host=db user=bob password=secret
      return url.replaceAll("(?i)\\b(password|user|sslpassword)\\s*=\\s*('[^']*'|\\S*)\\s*", "")
          .strip();
    }
    String withoutParameters = withoutCredentialParameters(url);
    String prefix = withoutParameters.substring(0, scheme + 3);
    String rest = withoutParameters.substring(scheme + 3);
    int userInfoEnd = rest.lastIndexOf('@');
    return prefix + (userInfoEnd < 0 ? rest : rest.substring(userInfoEnd + 1));
  }

  private static String withoutCredentialParameters(String url) {
    int query = url.indexOf('?', url.indexOf("://") + 3);
    if (query < 0) {
      return url;
    }
    List<String> kept = new ArrayList<>();
    for (String parameter : url.substring(query + 1).split("&")) {
      int equals = parameter.indexOf('=');
      String name = (equals < 0 ? parameter : parameter.substring(0, equals)).strip();
      if (!CREDENTIAL_PARAMETERS.contains(name.toLowerCase(Locale.ROOT)) && !parameter.isEmpty()) {
        kept.add(parameter);
      }
    }
    return url.substring(0, query) + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
  }
}
