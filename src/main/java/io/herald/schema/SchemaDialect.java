package io.herald.schema;

import com.networknt.schema.SpecificationVersion;
import java.util.Optional;

/** The JSON Schema drafts Herald accepts, named by their {@code $schema} URI. */
public enum SchemaDialect {
    DRAFT_2020_12("https://json-schema.org/draft/2020-12/schema", SpecificationVersion.DRAFT_2020_12),
    DRAFT_07("http://json-schema.org/draft-07/schema#", SpecificationVersion.DRAFT_7);

    private final String uri;
    private final SpecificationVersion specification;

    SchemaDialect(String uri, SpecificationVersion specification) {
        this.uri = uri;
        this.specification = specification;
    }

    public String uri() {
        return uri;
    }

    SpecificationVersion specification() {
        return specification;
    }

    /** Reads {@code $schema}, tolerating the usual spellings (trailing {@code #}, http or https). */
    static Optional<SchemaDialect> fromUri(String uri) {
        String normalized = uri.replaceFirst("^https?://", "").replaceFirst("#$", "");
        for (SchemaDialect dialect : values()) {
            if (dialect.uri
                    .replaceFirst("^https?://", "")
                    .replaceFirst("#$", "")
                    .equals(normalized)) {
                return Optional.of(dialect);
            }
        }
        return Optional.empty();
    }
}
