package io.herald.schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** Versions in ascending order; {@code next} is the {@code after} of the following page, absent on the last. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SchemaVersionPage(List<SchemaVersionOut> items, Integer next) {}
