package io.herald.topic;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** One page of topics by name; {@code next} is the {@code after} value of the following page, absent on the last. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TopicPage(List<TopicOut> items, String next) {}
