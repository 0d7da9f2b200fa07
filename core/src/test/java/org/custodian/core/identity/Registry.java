package org.custodian.core.identity;

import java.time.LocalDate;
import java.util.List;
import org.custodian.core.registers.NhsNumber;
import org.custodian.core.registers.Organisation;
import org.custodian.core.registers.Person;
import org.custodian.core.registers.Project;
import org.custodian.core.registers.RegisterSnapshot;
import org.custodian.core.registers.Role;
import org.custodian.core.registers.Sector;
import org.custodian.core.vocabulary.DataForm;
import org.custodian.core.vocabulary.Purpose;

/** A small set of registers for the identity tests: a GP practice, a university, their people and a project. */
final class Registry {
    static final Organisation PRACTICE = new Organisation("Y00001", "Riverside Surgery", Sector.NHS_CARE);
    static final Organisation UNIVERSITY = new Organisation("U00001", "University of Northtown", Sector.PUBLIC_RESEARCH);
    static final Person GP = new Person("dr-ahmed", "Dr Samira Ahmed", Role.CLINICIAN, PRACTICE.id(), null);
    static final Person RECEPTIONIST = new Person("j-obi", "Jo Obi", Role.RECEPTION, PRACTICE.id(), null);
    static final Person RESEARCHER = new Person("r-lee", "Dr Robin Lee", Role.RESEARCHER, UNIVERSITY.id(), null);
    static final Person PATIENT = new Person("p-evans", "Morgan Evans", Role.PATIENT, PRACTICE.id(), NhsNumber.parse("943 476 5919"));
    static final Project ASTHMA_STUDY = new Project("proj-asthma", UNIVERSITY.id(), Purpose.HRESCH, DataForm.PSEUDONYMISED,
            Project.Status.APPROVED, null, LocalDate.parse("2030-12-31"), "REC 24/NW/0001", null, null, List.of());
    static final Project AUDIT = new Project("proj-audit", UNIVERSITY.id(), Purpose.HQUALIMP, DataForm.AGGREGATE,
            Project.Status.APPROVED, null, LocalDate.parse("2030-12-31"), null, null, null, List.of());
    static final Project PRACTICE_PLANNING = new Project("proj-planning", PRACTICE.id(), Purpose.HOPERAT, DataForm.AGGREGATE,
            Project.Status.APPROVED, null, LocalDate.parse("2030-12-31"), null, null, null, List.of());

    private Registry() {}

    static RegisterSnapshot.Builder builder() {
        return RegisterSnapshot.builder()
                .organisation(PRACTICE)
                .organisation(UNIVERSITY)
                .person(GP)
                .person(RECEPTIONIST)
                .person(RESEARCHER)
                .person(PATIENT)
                .project(ASTHMA_STUDY)
                .project(AUDIT)
                .project(PRACTICE_PLANNING);
    }

    static RegisterSnapshot snapshot() {
        return builder().build();
    }
}
