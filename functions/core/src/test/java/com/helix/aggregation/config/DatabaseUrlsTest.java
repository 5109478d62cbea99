package com.helix.aggregation.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** No credential of a database URL reaches a message or a log (issue 8, defect 6). */
class DatabaseUrlsTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // libpq URLs with user information; base64-looking passwords with '/' and '+'
        "postgresql://helix:Xk9/q+Zr2@db.internal:5432/billing | postgresql://db.internal:5432/billing | Xk9",
        "postgres://bob:p@ss/w0rd@host/db | postgres://host/db | p@ss",
        "postgres://bob:p?ss@host/db | postgres://host/db | p?ss",
        "postgresql://bob@host:5432/db | postgresql://host:5432/db | bob",
        "postgresql://@host/db | postgresql://host/db | @",
        // JDBC URLs with user information or credential parameters, in any order and case
        "jdbc:postgresql://u:s3cr3t==@h:5432/d?sslmode=require | jdbc:postgresql://h:5432/d?sslmode=require | s3cr3t",
        "jdbc:postgresql://h/d?user=helix&password=Zm9v/YmFy+ | jdbc:postgresql://h/d | Zm9v",
        "jdbc:postgresql://h/d?sslmode=require&Password=abc&ApplicationName=x | jdbc:postgresql://h/d?sslmode=require&ApplicationName=x | abc",
        "jdbc:postgresql://h/d?user=bob@corp&password=x@y | jdbc:postgresql://h/d | corp",
        "jdbc:postgresql://h/d?sslpassword=keypass | jdbc:postgresql://h/d | keypass",
        // libpq keyword/value connection strings
        "host=db port=5432 user=helix password=Xk9/q+Zr2 dbname=billing | host=db port=5432 dbname=billing | Xk9",
        "host=db password='two words' dbname=billing | host=db dbname=billing | two words",
        // empty and odd query parts
        "jdbc:postgresql://h/d?&password=x& | jdbc:postgresql://h/d | x&",
        "jdbc:postgresql://h/d?password | jdbc:postgresql://h/d | password",
        "jdbc:postgresql://h/d?a=1&user=u | jdbc:postgresql://h/d?a=1 | u",
        "postgres://u:p@h/d?x=@y | postgres://y | u:p",
        "jdbc:postgresql://h:5/d? | jdbc:postgresql://h:5/d | ?",
        // nothing to hide
        "jdbc:postgresql://127.0.0.1:5432/helix | jdbc:postgresql://127.0.0.1:5432/helix | none-such",
      })
  void givenAUrlWithCredentials_thenTheRedactedFormHasNone(
      String url, String redacted, String secret) {
    String shown = DatabaseUrls.redact(url);

    assertThat(shown).isEqualTo(redacted);
    assertThat(shown).doesNotContain(secret);
  }

  @org.junit.jupiter.api.Test
  void givenNoUrl_thenNone() {
    assertThat(DatabaseUrls.redact(null)).isNull();
  }
}
