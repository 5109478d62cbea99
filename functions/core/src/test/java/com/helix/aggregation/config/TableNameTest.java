package com.helix.aggregation.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TableNameTest {

  @ParameterizedTest
  @ValueSource(strings = {"usage_records", "public.usage_records", "_x", "a$b.C1"})
  void givenAnIdentifier_thenQuotedPartByPart(String text) {
    TableName name = TableName.parse(text);

    assertThat(name.toString()).isEqualTo(text);
    assertThat(name.quoted()).isEqualTo("\"" + text.replace(".", "\".\"") + "\"");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "1table",
        "usage records",
        "usage_records;drop table x",
        "a.b.c",
        ".usage",
        "usage.",
        "\"quoted\"",
        "sixty_four_characters_is_one_more_than_postgres_allows_in_a_name_"
      })
  void givenSomethingElse_thenRefused(String text) {
    assertThatThrownBy(() -> TableName.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }
}
