package com.asconboard.ticket;

/**
 * What the engineer tells us about a customer's account. Only {@code customer} is required; the
 * Apple identifiers are normalised (Team ID and Key ID upper case, Issuer ID lower case) or null.
 */
public record TicketDetails(String customer, String teamName, String teamId, String issuerId, String keyId) {
}
