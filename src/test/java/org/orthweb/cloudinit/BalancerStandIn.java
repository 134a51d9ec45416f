package org.orthweb.cloudinit;

import org.orthweb.plan.Plan;
import org.orthweb.plan.Plan.PlannedResource;

import java.util.List;
import java.util.Map;

/**
 * Debian's haproxy configured as the planned network load balancer says: one TCP frontend per
 * planned listener (its port, its TCP idle timeout), forwarding to a backend made from the
 * listener's target group: source-IP stickiness when the group has it (a stick table on the
 * client address), and the group's health check (HTTPS to the check port and path, expected
 * status, interval, healthy and unhealthy thresholds). Nothing here is typed by hand: change the
 * planned value and the stand-in changes with it.
 *
 * <p>Differences from the cloud balancer, on purpose: haproxy retries a refused connection on
 * another server ({@code retries}, {@code redispatch}); the NLB does not (a client retries).
 */
final class BalancerStandIn {

    /** A host the balancer forwards to. */
    record Target(String name, String ip) {
    }

    private BalancerStandIn() {
    }

    /**
     * @param plan      a plan with one {@code aws:lb/loadBalancer} (high-availability mode)
     * @param bindIp    address the frontends listen on
     * @param targets   the hosts (the auto-scaling group's instances)
     * @param planChecks true: the planned health checks; false: a TCP connect check (for tests
     *                  whose hosts run no Orthanc)
     * @param statsPort loopback port of haproxy's CSV statistics ({@code /stats;csv})
     */
    @SuppressWarnings("unchecked")
    static String haproxyConfig(Plan plan, String bindIp, List<Target> targets, boolean planChecks, int statsPort) {
        StringBuilder cfg = new StringBuilder("""
                global
                    maxconn 256
                defaults
                    mode tcp
                    timeout connect 2s
                    retries 3
                    option redispatch
                frontend stats
                    mode http
                    bind 127.0.0.1:%d
                    timeout client 10s
                    stats enable
                    stats uri /stats
                """.formatted(statsPort));
        List<PlannedResource> listeners = plan.ofType("aws:lb/listener:Listener");
        if (listeners.isEmpty()) {
            throw new IllegalArgumentException("the plan has no load balancer listener (high-availability mode off?)");
        }
        for (PlannedResource listener : listeners) {
            int port = ((Number) listener.get("port")).intValue();
            int idle = ((Number) listener.get("tcpIdleTimeoutSeconds")).intValue();
            Map<String, Object> action = ((List<Map<String, Object>>) listener.get("defaultActions")).get(0);
            PlannedResource tg = plan.ofType("aws:lb/targetGroup:TargetGroup").stream()
                    .filter(t -> t.id().equals(action.get("targetGroupArn"))).findFirst().orElseThrow();
            Map<String, Object> hc = (Map<String, Object>) tg.get("healthCheck");
            Map<String, Object> sticky = (Map<String, Object>) tg.get("stickiness");
            cfg.append("frontend f").append(port).append('\n')
                    .append("    bind ").append(bindIp).append(':').append(port).append('\n')
                    .append("    timeout client ").append(idle).append("s\n")
                    .append("    default_backend b").append(port).append('\n');
            cfg.append("backend b").append(port).append('\n')
                    .append("    balance roundrobin\n")
                    .append("    timeout server ").append(idle).append("s\n");
            if (sticky != null && Boolean.TRUE.equals(sticky.get("enabled")) && "source_ip".equals(sticky.get("type"))) {
                cfg.append("    stick-table type ip size 100k\n    stick on src\n");
            }
            String check;
            if (planChecks) {
                if (!"HTTPS".equals(hc.get("protocol"))) {
                    throw new IllegalArgumentException("stand-in knows HTTPS health checks, planned: " + hc.get("protocol"));
                }
                cfg.append("    option httpchk GET ").append(hc.get("path")).append('\n')
                        .append("    http-check expect status ").append(hc.get("matcher")).append('\n')
                        .append("    timeout check ").append(hc.get("timeout")).append("s\n");
                check = " check check-ssl verify none port " + hc.get("port") + " inter " + hc.get("interval") + "s fall "
                        + hc.get("unhealthyThreshold") + " rise " + hc.get("healthyThreshold");
            } else {
                check = " check inter 1s fall 2 rise 2";
            }
            for (Target t : targets) {
                cfg.append("    server ").append(t.name()).append(' ').append(t.ip()).append(':').append(port)
                        .append(check).append('\n');
            }
        }
        return cfg.toString();
    }
}
