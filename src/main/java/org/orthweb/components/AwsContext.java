package org.orthweb.components;

import com.pulumi.core.Output;

/**
 * The account facts every component needs for ARNs and policy conditions, looked up once per
 * program run (caller identity and partition) and handed down.
 */
public record AwsContext(String region, Output<String> accountId, Output<String> partition) {

    /** {@code arn:<partition>:<service>:<region>:<account>:<resource>}. */
    public Output<String> arn(String service, boolean regional, String resource) {
        return Output.tuple(partition, accountId).applyValue(t ->
                "arn:" + t.t1 + ":" + service + ":" + (regional ? region : "") + ":" + t.t2 + ":" + resource);
    }
}
