package org.orthweb.plan;

import org.orthweb.config.StackConfig;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where the hosts' image (AMI) comes from, as a plan reader must know it: pinned by
 * {@code orthweb:host.amiId}, or looked up at the first deploy and kept (the offline plan's AMI id
 * is then a placeholder of the mock engine). The plan's text ends with {@link #note}; its JSON
 * carries {@link #json} as {@code hostImage}.
 *
 * @param amiId  the pinned AMI id, empty when not pinned
 * @param region the stack's region (the {@code ami} command that shows the newest image)
 */
public record HostImage(Optional<String> amiId, String region) {

    /** The host image of a validated stack configuration. */
    public static HostImage of(StackConfig config) {
        return new HostImage(config.host().amiId(), config.region());
    }

    /** Whether {@code orthweb:host.amiId} pins the image. */
    public boolean pinned() {
        return amiId.isPresent();
    }

    /** One paragraph for people: pinned or not, what a change replaces, the command that shows the newest. */
    public String note() {
        return amiId.map(ami -> "Host image: " + ami + " (pinned by orthweb:host.amiId; changing it replaces every host)")
                .orElse("Host image: NOT PINNED. The first deploy looks up the newest Amazon Linux 2023 AMI and keeps it "
                        + "(later AMIs never replace a host); the plan's AMI id is a placeholder. Pin it with orthweb:host.amiId "
                        + "(`java -jar target/orthweb.jar ami --region " + region + "` shows the newest); "
                        + "changing it replaces every host.");
    }

    /** {@code {pinned, amiId (null when not pinned), note}} for the plan's JSON. */
    public Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pinned", pinned());
        m.put("amiId", amiId.orElse(null));
        m.put("note", note());
        return m;
    }
}
