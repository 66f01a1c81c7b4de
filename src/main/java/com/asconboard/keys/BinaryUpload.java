package com.asconboard.keys;

import java.io.IOException;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.bouncycastle.asn1.x509.Certificate;

/**
 * Names the kind of binary file that was uploaded instead of the text .p8, so the customer is told
 * what they actually picked (usually a .p12 or .cer exported from Keychain Access).
 */
final class BinaryUpload {

    private BinaryUpload() {
    }

    /** The refusal for a binary upload, which is never an App Store Connect key file. */
    static InvalidApiKeyException rejection(byte[] content) {
        ASN1Sequence sequence = sequenceOrNull(content);
        if (sequence == null) {
            return InvalidApiKeyException.binaryFile();
        }
        if (isPkcs12(sequence)) {
            return InvalidApiKeyException.pkcs12();
        }
        if (is(() -> Certificate.getInstance(sequence))) {
            return InvalidApiKeyException.certificate();
        }
        if (is(() -> CertificationRequest.getInstance(sequence))) {
            return InvalidApiKeyException.certificateRequest();
        }
        return InvalidApiKeyException.binaryFile();
    }

    // PFX ::= SEQUENCE { version INTEGER {v3(3)}, authSafe ContentInfo, macData MacData OPTIONAL }
    private static boolean isPkcs12(ASN1Sequence pfx) {
        if (pfx.size() < 2 || pfx.size() > 3
                || !(pfx.getObjectAt(0) instanceof ASN1Integer)
                || !((ASN1Integer) pfx.getObjectAt(0)).hasValue(3)
                || !(pfx.getObjectAt(1) instanceof ASN1Sequence)) {
            return false;
        }
        ASN1Sequence contentInfo = (ASN1Sequence) pfx.getObjectAt(1);
        return contentInfo.size() >= 1 && contentInfo.getObjectAt(0) instanceof ASN1ObjectIdentifier;
    }

    private static ASN1Sequence sequenceOrNull(byte[] content) {
        if (content.length < 2 || content[0] != 0x30) {
            return null;
        }
        try {
            ASN1Primitive primitive = ASN1Primitive.fromByteArray(content);
            return primitive instanceof ASN1Sequence ? (ASN1Sequence) primitive : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static boolean is(Runnable parse) {
        try {
            parse.run();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
