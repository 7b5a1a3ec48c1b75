package io.herald.testing;

import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;

/**
 * Tests call the API as the test profile's admin unless they say otherwise: a request to {@code /api/} without its own
 * credentials (and not marked anonymous) gets the admin API key. Console requests are left alone.
 */
public final class ApiKeyFilter implements Filter {
    /** A header a test sets to send a request to the API with no credentials at all; it is removed before sending. */
    public static final String ANONYMOUS = "X-Test-Anonymous";

    private static volatile boolean installed;

    public static synchronized void install() {
        if (!installed) {
            RestAssured.filters(new ApiKeyFilter());
            installed = true;
        }
    }

    @Override
    public Response filter(
            FilterableRequestSpecification request, FilterableResponseSpecification response, FilterContext context) {
        boolean api = request.getURI().contains("/api/");
        if (request.getHeaders().hasHeaderWithName(ANONYMOUS)) {
            request.removeHeader(ANONYMOUS);
        } else if (api
                && !request.getHeaders().hasHeaderWithName("X-API-Key")
                && !request.getHeaders().hasHeaderWithName("Authorization")) {
            request.header("X-API-Key", HeraldApi.ADMIN_KEY);
        }
        return context.next(request, response);
    }
}
