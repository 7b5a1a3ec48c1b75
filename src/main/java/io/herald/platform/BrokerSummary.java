package io.herald.platform;

/** The broker in one line for the startup banner; the broker part provides it, so platform need not know its config. */
public interface BrokerSummary {
    String describe();
}
