package io.herald.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** Events newest first; {@code next} is the opaque {@code after} cursor of the following page, absent on the last. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EventPage(List<EventOut> items, String next) {}
