package io.herald.topic;

/**
 * How a topic's schema may change, with the meaning Confluent's and Apicurio's registries give these names
 * (BACKWARD: consumers on the new schema can read events written with the previous one; *_TRANSITIVE: with every
 * previous one). Enforced by the schema registry.
 */
public enum CompatibilityMode {
    NONE,
    BACKWARD,
    BACKWARD_TRANSITIVE,
    FORWARD,
    FORWARD_TRANSITIVE,
    FULL,
    FULL_TRANSITIVE
}
