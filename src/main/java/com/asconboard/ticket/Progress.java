package com.asconboard.ticket;

import java.util.ArrayList;
import java.util.List;

/** Where a ticket stands: the five onboarding steps, verification and certificate, derived from its state. */
public record Progress(List<Step> steps, String verification, String certificate) {

    public static Progress of(Ticket ticket) {
        TicketDetails d = ticket.details();
        List<Step> steps = List.of(
                new Step(1, "Vendor invited with certificate access", Step.State.WAITING,
                        "not confirmed yet"),
                ticket.hasKey()
                        ? new Step(2, "App Manager API key (.p8) handed over", Step.State.DONE,
                                "key AuthKey_" + (d.keyId() == null ? "<Key ID>" : d.keyId()) + ".p8 received")
                        : new Step(2, "App Manager API key (.p8) handed over", Step.State.WAITING,
                                "no key received yet"),
                pair(3, "Team Name and Team ID", "Team Name", d.teamName(), "Team ID", d.teamId()),
                pair(4, "Issuer ID and Key ID", "Issuer ID", d.issuerId(), "Key ID", d.keyId()),
                new Step(5, "Distribution-certificate slot for the vendor", Step.State.WAITING,
                        "checked once the key is verified"));
        String verification = "not run yet: needs the .p8, Issuer ID and Key ID";
        return new Progress(steps, verification, "none yet");
    }

    public long done() {
        return steps.stream().filter(s -> s.state() == Step.State.DONE).count();
    }

    private static Step pair(int number, String title, String firstName, String first, String secondName,
            String second) {
        if (first != null && second != null) {
            return new Step(number, title, Step.State.DONE, firstName + " " + first + " · " + secondName + " " + second);
        }
        List<String> missing = new ArrayList<>();
        if (first == null) {
            missing.add(firstName);
        }
        if (second == null) {
            missing.add(secondName);
        }
        return new Step(number, title, Step.State.WAITING, String.join(" and ", missing) + " missing");
    }
}
