package com.asconboard.asc;

import com.google.gson.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The App Store Connect calls this product makes, typed. */
public final class AppStoreConnect {
    private final AscClient client;

    public AppStoreConnect(AscClient client) {
        this.client = client;
    }

    public AscClient client() {
        return client;
    }

    /** How many apps the key sees (at most one is asked for): proves the key authenticates. */
    public int appsVisible() throws AscException {
        return Json.resources(client.get("/v1/apps?limit=1")).size();
    }

    /** The account's distribution certificates, i.e. those that take its 3 slots. */
    public List<AscCertificate> distributionCertificates() throws AscException {
        return Json.resources(client.get("/v1/certificates?filter[certificateType]=DISTRIBUTION,IOS_DISTRIBUTION"
                + "&limit=200")).stream().map(AscCertificate::from).toList();
    }

    /** Seed IDs (Team IDs) of the account's bundle IDs, at most one asked for. */
    public List<String> bundleIdSeeds() throws AscException {
        return Json.resources(client.get("/v1/bundleIds?limit=1")).stream()
                .map(r -> Json.string(Json.object(r, "attributes"), "seedId"))
                .filter(java.util.Objects::nonNull).toList();
    }

    public List<AscUser> usersNamed(String username) throws AscException {
        return Json.resources(client.get("/v1/users?filter[username]=" + encode(username) + "&limit=10")).stream()
                .map(AscUser::user).toList();
    }

    /** Pending (and lapsed) invitations for an e-mail address; Apple keeps lapsed ones until re-sent or deleted. */
    public List<AscInvitation> invitationsFor(String email) throws AscException {
        return Json.resources(client.get("/v1/userInvitations?filter[email]=" + encode(email) + "&limit=10")).stream()
                .map(AscInvitation::from).toList();
    }

    /**
     * Creates a distribution certificate from a PKCS#10 request. Apple is sent the request PEM-armoured, as
     * fastlane and codemagic send it; a bare base64 DER is armoured here first.
     */
    public AscCertificate createDistributionCertificate(String csr) throws AscException {
        JsonObject attributes = new JsonObject();
        attributes.addProperty("csrContent", CsrContent.pem(csr));
        attributes.addProperty("certificateType", "DISTRIBUTION");
        JsonObject data = new JsonObject();
        data.addProperty("type", "certificates");
        data.add("attributes", attributes);
        JsonObject body = new JsonObject();
        body.add("data", data);
        JsonObject answer = client.post("/v1/certificates", body);
        return AscCertificate.from(Json.object(answer, "data"));
    }

    /**
     * Revokes a certificate ({@code DELETE /v1/certificates/{id}}). Callers pass only a certificate the vendor
     * created, confirmed by its serial in {@link #distributionCertificates()}.
     */
    public void revokeCertificate(String certificateId) throws AscException {
        client.delete("/v1/certificates/" + encode(certificateId));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
