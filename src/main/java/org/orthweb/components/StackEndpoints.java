package org.orthweb.components;

import com.pulumi.core.Output;

import java.util.Map;
import java.util.Optional;

/**
 * The VPC endpoints through which the stack's hosts reach AWS APIs, handed from {@link SecureVpc}
 * to the components whose policies pin requests to them ({@code aws:SourceVpce}).
 *
 * @param s3EndpointId         the S3 gateway endpoint (always present, on every route table)
 * @param interfaceEndpointIds interface endpoint ids by service name ("kms", "secretsmanager"...),
 *                             exactly the configured ones
 */
public record StackEndpoints(Output<String> s3EndpointId, Map<String, Output<String>> interfaceEndpointIds) {

    public StackEndpoints {
        interfaceEndpointIds = Map.copyOf(interfaceEndpointIds);
    }

    /** The interface endpoint of one service, when the stack has one. */
    public Optional<Output<String>> interfaceEndpoint(String service) {
        return Optional.ofNullable(interfaceEndpointIds.get(service));
    }
}
