package com.helix.aggregation.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
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

  @Test
  void givenPartsThatAreNotIdentifiers_thenNoTableNameCanBeBuiltFromThem() {
    assertThatThrownBy(() -> new TableName(Optional.of("app; drop"), "usage_records"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a valid SQL schema");
    assertThatThrownBy(() -> new TableName(Optional.empty(), "usage records"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a valid SQL name");
    assertThatThrownBy(() -> TableName.quote("x\" OR 1=1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a valid SQL identifier");
    assertThat(TableName.quote("helix_aggregation")).isEqualTo("\"helix_aggregation\"");
  }
}
