package io.herald.platform.problem;

/**
 * Every kind of error the API returns, with its status and title. The {@link ProblemTable} maps exceptions onto
 * these; nothing else decides a status code.
 */
public enum ProblemType {
    MALFORMED_REQUEST(400, "Malformed request"),
    UNAUTHORIZED(401, "Authentication required"),
    FORBIDDEN(403, "Not allowed"),
    NOT_FOUND(404, "Not found"),
    METHOD_NOT_ALLOWED(405, "Method not allowed"),
    NOT_ACCEPTABLE(406, "Not acceptable"),
    ALREADY_EXISTS(409, "Already exists"),
    CONFLICT(409, "Conflict"),
    SCHEMA_INCOMPATIBLE(409, "Schema incompatible"),
    PAYLOAD_TOO_LARGE(413, "Payload too large"),
    URI_TOO_LONG(414, "URI too long"),
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
    VALIDATION_FAILED(422, "Validation failed"),
    SCHEMA_VIOLATION(422, "Event does not match its schema"),
    HEADERS_TOO_LARGE(431, "Request header fields too large"),
    SERVICE_UNAVAILABLE(503, "Service unavailable"),
    INTERNAL_ERROR(500, "Internal error");

    private final int status;
    private final String title;

    ProblemType(int status, String title) {
        this.status = status;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** A stable URN clients can switch on, e.g. {@code urn:herald:problem:validation-failed}. */
    public String uri() {
        return "urn:herald:problem:" + name().toLowerCase().replace('_', '-');
    }
}
