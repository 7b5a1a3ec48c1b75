package io.herald.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.client.ApiClient;
import io.herald.client.ApiException;
import io.herald.client.model.Problem;

import java.net.URL;

/** The generated client, pointed at the application under test. */
public final class HeraldApi {
    private HeraldApi() {
    }

    public static ApiClient client(URL base) {
        ApiClient client = new ApiClient();
        client.updateBaseUri(base.toString().replaceAll("/$", ""));
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
}
