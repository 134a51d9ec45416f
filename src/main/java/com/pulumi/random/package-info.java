/**
 * A minimal typed binding for the Pulumi "random" provider, written because its Java SDK
 * ({@code com.pulumi:random}) is not served by the Maven registry this project builds from. The
 * classes follow the generated SDK's shape and type tokens, and {@code plugin.json} beside them
 * asks the engine to install the real provider plugin, so values are generated at deploy time
 * and kept in state as secrets. Moving to the official artifact later is a dependency change
 * plus an import change; nothing else in the project depends on these classes' internals.
 */
package com.pulumi.random;
