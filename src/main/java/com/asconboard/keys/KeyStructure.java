package com.asconboard.keys;

import com.asconboard.i18n.Message;
import java.io.IOException;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Map;
import org.bouncycastle.asn1.ASN1BitString;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Null;
import org.bouncycastle.asn1.ASN1Object;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.nist.NISTNamedCurves;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * Reads the ASN.1 inside a key block (PKCS#8 or SEC1) down to the P-256 private scalar, and says
 * precisely what was found when it is anything else. Copies of the scalar held by parsed ASN.1
 * objects are wiped once read.
 */
final class KeyStructure {

    /** What a P-256 key block contains: the private scalar and, if the file has one, the public point. */
    record Parts(BigInteger d, byte[] embeddedPublicPoint) {
    }

    /** Keys of the texts naming other kinds of private key ("a DSA private key"). */
    private static final Map<ASN1ObjectIdentifier, String> OTHER_ALGORITHMS = Map.of(
            X9ObjectIdentifiers.id_dsa, "key.kind.dsa",
            EdECObjectIdentifiers.id_Ed448, "key.kind.ed448",
            EdECObjectIdentifiers.id_X25519, "key.kind.x25519",
            EdECObjectIdentifiers.id_X448, "key.kind.x448",
            PKCSObjectIdentifiers.dhKeyAgreement, "key.kind.dh",
            X9ObjectIdentifiers.dhpublicnumber, "key.kind.dh");

    private KeyStructure() {
    }

    /** Reads a {@code PRIVATE KEY} block (PKCS#8 PrivateKeyInfo, RFC 5208 / 5958). */
    static Parts fromPkcs8(byte[] der) throws InvalidApiKeyException {
        ASN1Primitive outer = parse(der);
        if (looksEncrypted(outer)) {
            throw InvalidApiKeyException.encryptedKey();
        }
        PrivateKeyInfo info;
        try {
            info = PrivateKeyInfo.getInstance(outer);
        } catch (RuntimeException e) {
            throw InvalidApiKeyException.malformedKey();
        }
        try {
            int version = info.getVersion().intValueExact();
            if (version != 0 && version != 1) {
                throw InvalidApiKeyException.malformedKey();
            }
            AlgorithmIdentifier algorithm = info.getPrivateKeyAlgorithm();
            requireEcAlgorithm(algorithm.getAlgorithm());
            requireP256(algorithm.getParameters());
            ASN1Sequence inner = ASN1Sequence.getInstance(parse(info.getPrivateKey().getOctets()));
            try {
                org.bouncycastle.asn1.sec.ECPrivateKey ec = sec1(inner);
                ASN1Primitive innerCurve = curveOf(ec);
                if (innerCurve != null && !isP256(innerCurve)) {
                    // The two places that name the curve disagree: the file was assembled wrongly.
                    throw InvalidApiKeyException.malformedKey();
                }
                return parts(ec);
            } finally {
                wipeScalar(inner);
            }
        } catch (RuntimeException e) {
            throw InvalidApiKeyException.malformedKey();
        } finally {
            Arrays.fill(info.getPrivateKey().getOctets(), (byte) 0);
        }
    }

    /**
     * Reads an {@code EC PRIVATE KEY} block (SEC1 ECPrivateKey, RFC 5915). The curve comes from the
     * key itself or, as OpenSSL writes it, from a separate {@code EC PARAMETERS} block.
     */
    static Parts fromSec1(byte[] der, byte[] ecParameters) throws InvalidApiKeyException {
        ASN1Sequence sequence;
        try {
            sequence = ASN1Sequence.getInstance(parse(der));
        } catch (RuntimeException e) {
            throw InvalidApiKeyException.malformedKey();
        }
        try {
            org.bouncycastle.asn1.sec.ECPrivateKey ec = sec1(sequence);
            ASN1Encodable curve = curveOf(ec);
            if (curve == null && ecParameters != null) {
                curve = parse(ecParameters);
            }
            if (curve == null) {
                throw InvalidApiKeyException.malformedKey();
            }
            requireP256(curve);
            return parts(ec);
        } catch (RuntimeException e) {
            throw InvalidApiKeyException.malformedKey();
        } finally {
            wipeScalar(sequence);
        }
    }

    private static org.bouncycastle.asn1.sec.ECPrivateKey sec1(ASN1Sequence sequence) throws InvalidApiKeyException {
        if (sequence.size() < 2 || !ASN1Integer.getInstance(sequence.getObjectAt(0)).hasValue(1)) {
            throw InvalidApiKeyException.malformedKey();
        }
        return org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(sequence);
    }

    /** The optional [0] curve of a SEC1 key, or null (BouncyCastle's getParameters() fails when absent). */
    private static ASN1Primitive curveOf(org.bouncycastle.asn1.sec.ECPrivateKey ec) {
        ASN1Object curve = ec.getParametersObject();
        return curve == null ? null : curve.toASN1Primitive();
    }

    private static Parts parts(org.bouncycastle.asn1.sec.ECPrivateKey ec) {
        ASN1BitString publicKey = ec.getPublicKey();
        // getOctets() insists on whole bytes; a point with pad bits is damaged and fails the comparison later.
        byte[] point = publicKey == null ? null
                : publicKey.getPadBits() == 0 ? publicKey.getOctets() : new byte[] {0};
        return new Parts(ec.getKey(), point);
    }

    private static void requireEcAlgorithm(ASN1ObjectIdentifier oid) throws InvalidApiKeyException {
        if (X9ObjectIdentifiers.id_ecPublicKey.equals(oid)) {
            return;
        }
        if (PKCSObjectIdentifiers.rsaEncryption.equals(oid) || PKCSObjectIdentifiers.id_RSASSA_PSS.equals(oid)) {
            throw InvalidApiKeyException.rsaKey();
        }
        if (EdECObjectIdentifiers.id_Ed25519.equals(oid)) {
            throw InvalidApiKeyException.ed25519Key();
        }
        String other = OTHER_ALGORITHMS.get(oid);
        throw InvalidApiKeyException.unsupportedAlgorithm(
                other != null ? Message.of(other) : Message.of("key.kind.unrecognised", oid.getId()));
    }

    private static void requireP256(ASN1Encodable parameters) throws InvalidApiKeyException {
        ASN1Primitive curve = parameters == null ? null : parameters.toASN1Primitive();
        if (curve == null || curve instanceof ASN1Null) {
            throw InvalidApiKeyException.malformedKey();
        }
        if (!isP256(curve)) {
            throw InvalidApiKeyException.wrongCurve(curve instanceof ASN1ObjectIdentifier
                    ? describeCurve((ASN1ObjectIdentifier) curve)
                    : Message.of("key.curve.explicit"));
        }
    }

    /** A curve is named by OID or, rarely, spelled out as explicit parameters (RFC 3279). */
    private static boolean isP256(ASN1Primitive curve) {
        if (curve instanceof ASN1ObjectIdentifier) {
            return P256.OID.equals(curve);
        }
        return P256.matches(X9ECParameters.getInstance(curve));
    }

    private static Message describeCurve(ASN1ObjectIdentifier oid) {
        String nist = NISTNamedCurves.getName(oid);
        String name = ECNamedCurveTable.getName(oid);
        if (nist != null && name != null && !nist.equals(name)) {
            return Message.of("key.curve.pair", nist, name);
        }
        if (nist != null || name != null) {
            return Message.of("key.curve.named", nist != null ? nist : name);
        }
        return Message.of("key.curve.unrecognised", oid.getId());
    }

    // An EncryptedPrivateKeyInfo is SEQUENCE { AlgorithmIdentifier, OCTET STRING }, where a
    // PrivateKeyInfo starts with an INTEGER version; some tools label it plain "PRIVATE KEY".
    private static boolean looksEncrypted(ASN1Primitive outer) {
        return outer instanceof ASN1Sequence
                && ((ASN1Sequence) outer).size() == 2
                && ((ASN1Sequence) outer).getObjectAt(0) instanceof ASN1Sequence
                && ((ASN1Sequence) outer).getObjectAt(1) instanceof ASN1OctetString;
    }

    private static void wipeScalar(ASN1Sequence sec1) {
        if (sec1.size() > 1 && sec1.getObjectAt(1) instanceof ASN1OctetString) {
            Arrays.fill(((ASN1OctetString) sec1.getObjectAt(1)).getOctets(), (byte) 0);
        }
    }

    private static ASN1Primitive parse(byte[] der) throws InvalidApiKeyException {
        try {
            ASN1Primitive parsed = ASN1Primitive.fromByteArray(der);
            // An empty block (e.g. BEGIN and END lines with nothing but a header between) reads as null.
            if (parsed == null) {
                throw InvalidApiKeyException.malformedKey();
            }
            return parsed;
        } catch (IOException | RuntimeException | StackOverflowError e) {
            // BouncyCastle reads nested structures recursively: a few thousand nested SEQUENCEs, which fit
            // in an upload, exhaust a request thread's stack. The stack is unwound by the time we get here.
            throw InvalidApiKeyException.malformedKey();
        }
    }
}
