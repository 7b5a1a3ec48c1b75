package io.herald.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.client.ApiClient;
import io.herald.client.ApiException;
import io.herald.client.model.Problem;
import java.net.URL;
import org.junit.jupiter.api.function.Executable;

/** The generated client, pointed at the application under test. */
public final class HeraldApi {
    private HeraldApi() {}

    /** The admin API key of the test profile ({@code %test.herald.api-key}). */
    public static final String ADMIN_KEY = "hk_testadmn_TestAdminKeyNotASecret0123456789";

    /** A client authenticated with the test profile's admin API key. */
    public static ApiClient client(URL base) {
        return client(base, ADMIN_KEY);
    }

    /** A client sending this API key, or none when {@code key} is null. */
    public static ApiClient client(URL base, String key) {
        ApiClient client = new ApiClient();
        client.updateBaseUri(base.toString().replaceAll("/$", ""));
        if (key != null) {
            client.setRequestInterceptor(request -> request.header("X-API-Key", key));
        }
        return client;
    }

    /** The problem+json body of a refused call, as the generated model. */
    public static Problem problem(ApiException refusal) {
        try {
            return new ObjectMapper().findAndRegisterModules().readValue(refusal.getResponseBody(), Problem.class);
        } catch (Exception e) {
            throw new AssertionError("Not a problem+json body: " + refusal.getResponseBody(), e);
        }
    }

    /** Asserts a call is refused with this status and problem type, as problem+json; returns the problem. */
    public static Problem assertProblem(int status, String type, Executable call) {
        ApiException refusal = assertThrows(ApiException.class, call);
        assertEquals(status, refusal.getCode(), refusal.getResponseBody());
        assertTrue(
                refusal.getResponseHeaders()
                        .firstValue("content-type")
                        .orElse("")
                        .startsWith("application/problem+json"),
                "content type of " + refusal.getResponseBody());
        Problem problem = problem(refusal);
        assertEquals(type, problem.getType());
        assertEquals(status, problem.getStatus());
        assertNotNull(problem.getDetail());
        return problem;
    }
}
